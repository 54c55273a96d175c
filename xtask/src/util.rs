//! Small helpers: running commands, timing steps, paths.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub type Res<T = ()> = Result<T, String>;

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask has a parent").to_path_buf()
}

/// `program arg1 arg2` for messages.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        if a.contains(' ') || a.is_empty() {
            s.push_str(&format!(" '{a}'"));
        } else {
            s.push(' ');
            s.push_str(&a);
        }
    }
    s
}

/// Runs a command with inherited stdio; an error if it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Res {
    let what = describe(cmd);
    println!("$ {what}");
    let status = cmd.status().map_err(|e| format!("could not start `{what}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

/// Runs a command, echoing its stdout line by line and returning it; stderr is inherited.
/// Returns (success, stdout).
pub fn run_tee(cmd: &mut Command) -> Res<(bool, String)> {
    let what = describe(cmd);
    println!("$ {what}");
    let mut child = cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("could not start `{what}`: {e}"))?;
    let mut out = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            out.push_str(&line);
            out.push('\n');
        }
    }
    let status = child.wait().map_err(|e| format!("`{what}`: {e}"))?;
    Ok((status.success(), out))
}

/// The trimmed stdout of a command that succeeded, or None (not installed, failed).
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Times named steps and prints them at the end.
#[derive(Default)]
pub struct Steps {
    done: Vec<(String, f64, bool)>,
}

impl Steps {
    pub fn run<T>(&mut self, name: &str, f: impl FnOnce() -> Res<T>) -> Res<T> {
        println!("\n==> {name}");
        let t = Instant::now();
        let r = f();
        let secs = t.elapsed().as_secs_f64();
        match &r {
            Ok(_) => println!("<== {name}: ok in {secs:.1} s"),
            Err(e) => println!("<== {name}: FAILED in {secs:.1} s: {e}"),
        }
        self.done.push((name.to_string(), secs, r.is_ok()));
        r
    }

    pub fn print(&self) {
        println!("\nsteps:");
        for (name, secs, ok) in &self.done {
            println!("  {:<28} {:>7.1} s  {}", name, secs, if *ok { "ok" } else { "FAILED" });
        }
    }
}

pub fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.2} MiB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}
