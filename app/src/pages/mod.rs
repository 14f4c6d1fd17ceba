mod history;
mod home;
mod login;
mod not_found;
mod room;
mod rooms;
mod transcripts;

pub use history::HistoryRoute;
pub use home::HomeRoute;
pub use login::LoginRoute;
pub use not_found::NotFoundPage;
pub use room::RoomRoute;
pub use rooms::RoomsRoute;
pub use transcripts::{TranscriptRoute, TranscriptsRoute};
