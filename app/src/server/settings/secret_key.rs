use std::io::Write;
use std::path::Path;

use crate::server::secret::Secret;

pub const MIN_LEN: usize = 32;
const FILE_NAME: &str = "secret_key";

/// A key generated once per installation and kept in `DATA_DIR`, so a fresh
/// install is safe without configuration and restarts keep tokens valid.
pub fn load_or_create(data_dir: &Path) -> Result<Secret, String> {
    let path = data_dir.join(FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().len() >= MIN_LEN => return Ok(Secret::new(text.trim())),
        Ok(_) => return Err(format!("{} is shorter than {MIN_LEN} characters", path.display())),
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("{} could not be read: {error}", path.display()))
        }
        Err(_) => {}
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|error| format!("{} could not be created: {error}", data_dir.display()))?;
    let key = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .map_err(|error| format!("{} could not be written: {error}", path.display()))?;
    file.write_all(key.as_bytes())
        .map_err(|error| format!("{} could not be written: {error}", path.display()))?;
    Ok(Secret::new(key))
}
