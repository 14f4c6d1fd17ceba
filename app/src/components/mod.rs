mod plain_header;
mod site_header;

pub use plain_header::PlainHeader;
pub use site_header::SiteHeader;
