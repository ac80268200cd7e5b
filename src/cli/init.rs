//! `corpuslint init`: a commented starter corpuslint.toml.

use corpuslint::config;
use std::io::{self, Write};
use std::path::PathBuf;

pub(crate) fn init(force: bool) -> io::Result<u8> {
    let path = PathBuf::from(config::FILE_NAME);
    if path.exists() && !force {
        eprintln!(
            "error: {} already exists; edit it, or pass --force to overwrite it",
            path.display()
        );
        return Ok(2);
    }
    std::fs::write(&path, config::STARTER)?;
    println!(
        "wrote {}: a commented starter configuration",
        path.display()
    );
    Ok(0)
}
