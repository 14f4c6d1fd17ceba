mod home;
mod login;
mod not_found;
mod room_recordings;

pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use room_recordings::RoomRecordingsPage;
