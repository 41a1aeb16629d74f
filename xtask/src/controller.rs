//! A controller started for a step that talks to it over HTTP (the schemathesis step of `test`,
//! the API section of `bench`): on a free loopback port, quiet except for errors, signed in
//! with an access code of its own, and stopped by its process id when dropped.

use std::io::{BufRead, BufReader};
use std::process::Child;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::proc::Cmd;
use crate::Workspace;

/// The access code these controllers sign in with; they listen on loopback only and live as long
/// as one step.
const ACCESS_CODE: &str = "xtask-step";

/// A running controller.
pub struct Controller {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
}

impl Controller {
    /// Starts the `native` controller binary with `args` after the listening address and the
    /// access code, and waits until it says where it listens.
    pub fn start<I, S>(ws: &Workspace, args: I) -> Result<Controller, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut child = Cmd::new(ws.controller_bin())
            .args(["--listen", "127.0.0.1:0", "--access-code", ACCESS_CODE])
            .args(args)
            // Refusals are logged as warnings, and these steps provoke thousands on purpose.
            .env("RUST_LOG", "error")
            .dir(&ws.root)
            .hint("see the controller's messages above")
            .spawn_piped()?;

        // Wait for the listening line, then keep passing stdout on from a thread, so that the
        // controller never writes into a closed pipe.
        let mut url = None;
        if let Some(stdout) = child.stdout.take() {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                // The access code is the fixed one above; no need to repeat it.
                if !line.starts_with("access code:") {
                    println!("{line}");
                }
                if let Some(found) = line.strip_prefix("listening on ") {
                    url = Some(found.trim_end_matches('/').to_owned());
                    break;
                }
            }
            std::thread::spawn(move || lines.map_while(Result::ok).for_each(|l| println!("{l}")));
        }
        let Some(url) = url else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(
                "the controller stopped before saying where it listens (its messages are above)"
                    .to_owned(),
            );
        };
        Ok(Controller { child, url })
    }

    /// Signs in with the access code and returns a bearer token.
    pub fn token(&self) -> Result<String, String> {
        let url = format!("{}/api/common/1.0/oauth/token", self.url);
        let assertion = format!(
            "{}.{ACCESS_CODE}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#)
        );
        let mut response = ureq::post(&url)
            .send_form([
                ("grant_type", "access_code"),
                ("assertion", assertion.as_str()),
                ("state", "xtask"),
            ])
            .map_err(|e| format!("cannot sign in at {url}: {e}"))?;
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("cannot read the answer of {url}: {e}"))?;
        let answer: serde_json::Value = serde_json::from_str(&body)
            .map_err(|e| format!("{url} answered something other than JSON ({e}): {body}"))?;
        answer["access_token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("{url} answered without an access_token: {body}"))
    }

    fn stop(&mut self) {
        // Child::kill sends SIGKILL to this process id only.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Controller {
    fn drop(&mut self) {
        self.stop();
    }
}
