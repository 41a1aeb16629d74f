//! Running programs: echo the command line, stream its output, and turn a failure into a message
//! that names the command and says how to fix it.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::counts::{parse_libtest_line, Counts};

/// A command to run, remembered as text for messages.
pub struct Cmd {
    command: Command,
    shown: String,
    hint: Option<String>,
}

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Cmd {
        let program = program.as_ref();
        Cmd {
            command: Command::new(program),
            shown: program.to_string_lossy().into_owned(),
            hint: None,
        }
    }

    /// Cargo, the same one that runs xtask.
    pub fn cargo() -> Cmd {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        let mut cmd = Cmd::new(cargo);
        cmd.shown = "cargo".to_owned();
        cmd
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cmd {
        let arg = arg.as_ref();
        self.shown.push(' ');
        self.shown.push_str(&arg.to_string_lossy());
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        args.into_iter().fold(self, Cmd::arg)
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Cmd {
        self.command.env(key, value);
        self
    }

    pub fn dir(mut self, dir: impl AsRef<Path>) -> Cmd {
        self.command.current_dir(dir);
        self
    }

    /// What to tell the user when the command fails, after the command line.
    pub fn hint(mut self, hint: impl Into<String>) -> Cmd {
        self.hint = Some(hint.into());
        self
    }

    /// Runs the command with its output on the terminal; an unsuccessful exit is an error.
    pub fn run(mut self) -> Result<(), String> {
        println!("$ {}", self.shown);
        let status = self.command.status().map_err(|e| self.cannot_run(e))?;
        if status.success() {
            Ok(())
        } else {
            Err(self.failed(status))
        }
    }

    /// Runs the command with stderr on the terminal and returns what it printed on stdout.
    pub fn output(mut self) -> Result<String, String> {
        println!("$ {}", self.shown);
        let output = self
            .command
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| self.cannot_run(e))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(self.failed(output.status))
        }
    }

    /// Runs the command quietly and returns what it printed on stdout, or `None` if it could not
    /// run or failed. For probing tool versions.
    pub fn probe(mut self) -> Option<String> {
        let output = self.command.stderr(Stdio::null()).output().ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Runs a libtest-style test command, streaming its output, and adds up the counts of every
    /// `test result:` line. The counts come back whether the command failed or not.
    pub fn run_tests(mut self) -> (Result<(), String>, Counts) {
        println!("$ {}", self.shown);
        let mut counts = Counts::default();
        let mut child = match self.command.stdout(Stdio::piped()).spawn() {
            Ok(child) => child,
            Err(e) => return (Err(self.cannot_run(e)), counts),
        };

        for_each_line(&mut child, |line| {
            println!("{line}");
            if let Some(found) = parse_libtest_line(line) {
                counts += found;
            }
        });

        let result = match child.wait() {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(self.failed(status)),
            Err(e) => Err(format!("lost `{}`: {e}", self.shown)),
        };
        (result, counts)
    }

    /// Starts the command with stdout piped, for callers that read it themselves.
    pub fn spawn_piped(mut self) -> Result<Child, String> {
        println!("$ {}", self.shown);
        self.command
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| self.cannot_run(e))
    }

    fn cannot_run(&self, error: std::io::Error) -> String {
        let mut message = format!("cannot run `{}`: {error}", self.shown);
        self.add_hint(&mut message);
        message
    }

    fn failed(&self, status: std::process::ExitStatus) -> String {
        let mut message = format!("`{}` failed ({status})", self.shown);
        self.add_hint(&mut message);
        message
    }

    fn add_hint(&self, message: &mut String) {
        if let Some(hint) = &self.hint {
            message.push_str(": ");
            message.push_str(hint);
        }
    }
}

/// Calls `f` with each line the child prints on its piped stdout, until it closes it.
pub fn for_each_line(child: &mut Child, mut f: impl FnMut(&str)) {
    let Some(stdout) = child.stdout.take() else {
        return;
    };
    for line in BufReader::new(stdout).lines() {
        match line {
            Ok(line) => f(&line),
            Err(_) => break,
        }
    }
}

/// `PATH` with `dirs` put first (and nowhere else), then the rest in its order.
pub fn path_with(dirs: &[PathBuf]) -> OsString {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let rest = std::env::split_paths(&current).filter(|dir| !dirs.contains(dir));
    std::env::join_paths(dirs.iter().cloned().chain(rest)).unwrap_or(current)
}
