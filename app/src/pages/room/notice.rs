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

/// Over a call that could not start (or stopped): what happened, and a
/// retry that counts up `attempt`, which the call's effect tracks.
#[component]
pub fn CallProblem(
    title: &'static str,
    #[prop(into)] problem: Signal<Option<String>>,
    attempt: RwSignal<u32>,
) -> impl IntoView {
    move || {
        problem.get().map(|message| {
            let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
            view! {
                <div class="call-overlay">
                    <RoomNotice title message retry/>
                </div>
            }
        })
    }
}
