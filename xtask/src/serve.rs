//! `cargo xtask serve`: build everything, then run the controller on demo data with the console,
//! behind a freshly generated access code, until Ctrl-C (which reaches the controller too, as it
//! runs in the terminal's foreground process group).

use std::fs;
use std::io::Read;
use std::path::PathBuf;

use crate::proc::{for_each_line, Cmd};
use crate::{build, Workspace};

const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// What `serve` was asked for on its command line.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    listen: String,
    db: Option<PathBuf>,
    /// Passed to the controller as they are, after `--`.
    extra: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        listen: DEFAULT_LISTEN.to_owned(),
        db: None,
        extra: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--listen" => options.listen = value("--listen")?,
            "--db" => options.db = Some(PathBuf::from(value("--db")?)),
            "--" => {
                options.extra = args.cloned().collect();
                break;
            }
            other => {
                return Err(format!(
                    "unknown serve option `{other}` (controller options go after `--`)"
                ))
            }
        }
    }
    Ok(options)
}

pub fn run(ws: &Workspace, args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    build::console(ws)?;
    build::controller(ws)?;

    let db = match options.db {
        Some(db) => db,
        None => fresh_db(ws)?,
    };
    // The user may turn sign-in off or choose the code after `--`; otherwise make one up, so the
    // line that tells where to go can also tell how to get in.
    let chooses_sign_in = options
        .extra
        .iter()
        .any(|arg| arg == "--no-auth" || arg.starts_with("--access-code"));
    let code = if chooses_sign_in {
        None
    } else {
        Some(access_code()?)
    };

    let mut child = Cmd::new(ws.controller_bin())
        .arg("--demo")
        .arg("--db")
        .arg(&db)
        .arg("--ui")
        .arg(ws.dist())
        .args(["--listen", &options.listen])
        .args(code.iter().flat_map(|code| ["--access-code", code]))
        .args(&options.extra)
        .dir(&ws.root)
        .hint("see the controller's messages above")
        .spawn_piped()?;

    // Pass the controller's output on, and tell the user where to go once it listens.
    for_each_line(&mut child, |line| {
        println!("{line}");
        if let Some(url) = line.strip_prefix("listening on ") {
            println!(
                "\n{}\nPress Ctrl-C to stop.\n",
                invitation(url, code.as_deref())
            );
        }
    });

    let status = child
        .wait()
        .map_err(|e| format!("lost the controller: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the controller stopped ({status})"))
    }
}

/// The line that tells a new user where to go and how to sign in.
fn invitation(url: &str, code: Option<&str>) -> String {
    match code {
        Some(code) => format!("Open {url} and sign in with access code {code}"),
        None => format!("Open {url}"),
    }
}

/// A fresh database file, `target/demo.db`, so that every serve starts from the demo data.
fn fresh_db(ws: &Workspace) -> Result<PathBuf, String> {
    fs::create_dir_all(&ws.target)
        .map_err(|e| format!("cannot create {}: {e}", ws.target.display()))?;
    let db = ws.target.join("demo.db");
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut name = db.clone().into_os_string();
        name.push(suffix);
        match fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(format!(
                    "cannot remove {}: {e}",
                    PathBuf::from(name).display()
                ))
            }
        }
    }
    Ok(db)
}

/// A random access code of 12 letters and digits, leaving out look-alikes (0/o, 1/l/i).
fn access_code() -> Result<String, String> {
    let mut bytes = [0u8; 12];
    fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom for an access code: {e}"))?;
    Ok(code_from_bytes(&bytes))
}

fn code_from_bytes(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_options() {
        let cases = [
            ("", DEFAULT_LISTEN, None, ""),
            ("--listen 0.0.0.0:9000", "0.0.0.0:9000", None, ""),
            (
                "--db my.db -- --no-auth",
                DEFAULT_LISTEN,
                Some("my.db"),
                "--no-auth",
            ),
            (
                "-- --listen x --db y",
                DEFAULT_LISTEN,
                None,
                "--listen x --db y",
            ),
        ];
        for (line, listen, db, extra) in cases {
            let expected = Options {
                listen: listen.to_owned(),
                db: db.map(PathBuf::from),
                extra: args(extra),
            };
            assert_eq!(parse(&args(line)), Ok(expected), "{line}");
        }
    }

    #[test]
    fn rejects_bad_options() {
        for line in ["--listen", "--db", "--demo", "extra"] {
            assert!(parse(&args(line)).is_err(), "{line}");
        }
    }

    #[test]
    fn tells_where_to_go_and_how_to_get_in() {
        assert_eq!(
            invitation("http://127.0.0.1:8080", Some("abc")),
            "Open http://127.0.0.1:8080 and sign in with access code abc"
        );
        assert_eq!(invitation("http://[::1]:80", None), "Open http://[::1]:80");
    }

    #[test]
    fn access_codes_use_the_plain_alphabet() {
        let code = code_from_bytes(&[0, 1, 30, 31, 255, 128, 7, 8, 9, 10, 11, 12]);
        assert_eq!(code.len(), 12);
        assert!(code.chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(!code.contains(['0', 'o', '1', 'l', 'i']));
    }
}
