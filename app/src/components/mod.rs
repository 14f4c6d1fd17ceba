mod browser_only;
mod lazy_slot;
mod page_title;
mod site_header;

pub use browser_only::browser_only;
pub use lazy_slot::{lazy_slot, mount_into, Mounted};
pub use page_title::PageTitle;
pub use site_header::SiteHeader;
