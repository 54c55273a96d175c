//! Getting the input: `world-atlas` fetched with `npm pack` into a temporary folder, unpacked
//! with `tar`, and its `countries-50m.json` read after a size check (the file of the pinned
//! package version, nothing else).

use super::PACKAGE;
use std::process::Command;

const INPUT_SIZE: u64 = 756_420;

/// `npm pack` + `tar`, in a temporary folder removed afterwards.
pub(super) fn fetch_input() -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("pakru-geodata-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = (|| {
        run_cmd(Command::new("npm").args(["pack", PACKAGE, "--silent"]).current_dir(&dir))?;
        let tgz = std::fs::read_dir(&dir)
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "tgz"))
            .ok_or("npm pack produced no tarball")?;
        run_cmd(Command::new("tar").arg("xzf").arg(&tgz).arg("-C").arg(&dir))?;
        let file = dir.join("package").join("countries-50m.json");
        let size = std::fs::metadata(&file).map_err(|e| format!("{}: {e}", file.display()))?.len();
        if size != INPUT_SIZE {
            return Err(format!("{}: {size} bytes, expected {INPUT_SIZE}", file.display()));
        }
        std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_cmd(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}
