//! Pages of a list (`page` from 1, `size` up to 100): one check for every
//! listing, REST and server functions alike.

use crate::server::AppError;

pub const MAX_PAGE_SIZE: i64 = 100;

/// The rows to skip for `page` of `size`, or a 422 naming what is wrong.
pub fn offset(page: i64, size: i64) -> Result<i64, AppError> {
    check_limit("size", size)?;
    if page < 1 {
        return Err(AppError::Unprocessable("page: must be 1 or more".into()));
    }
    (page - 1)
        .checked_mul(size)
        .ok_or_else(|| AppError::Unprocessable("page: too large".into()))
}

/// `name` (a page size or a limit) between 1 and [`MAX_PAGE_SIZE`].
pub fn check_limit(name: &str, value: i64) -> Result<(), AppError> {
    if (1..=MAX_PAGE_SIZE).contains(&value) {
        Ok(())
    } else {
        Err(AppError::Unprocessable(format!(
            "{name}: must be between 1 and {MAX_PAGE_SIZE}"
        )))
    }
}

/// How many pages `total` rows make.
pub fn page_count(total: i64, size: i64) -> i64 {
    (total + size - 1) / size
}
