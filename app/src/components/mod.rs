mod site_header;

pub use site_header::SiteHeader;
