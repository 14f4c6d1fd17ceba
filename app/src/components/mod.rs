mod browser_only;
mod lazy_slot;
mod page_title;
mod room_status;
mod site_header;
pub mod toasts;
mod when;

pub use browser_only::browser_only;
pub use lazy_slot::{lazy_slot, mount_into, Mounted};
pub use page_title::PageTitle;
pub use room_status::RoomStatus;
pub use site_header::SiteHeader;
pub use when::When;
