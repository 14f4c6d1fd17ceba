use leptos::prelude::*;

/// A centred message on the full-screen room page, with an optional action.
#[component]
pub fn RoomNotice(
    title: &'static str,
    #[prop(into)] message: String,
    #[prop(optional)] retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="room-notice" role="alert">
            <h1>{title}</h1>
            <p>{message}</p>
            <p class="actions">
                {retry
                    .map(|retry| {
                        view! {
                            <button type="button" class="button" on:click=move |_| retry.run(())>
                                "Try again"
                            </button>
                        }
                    })}
                <a class="button secondary" href="/">"Go to the start page"</a>
            </p>
        </div>
    }
}
