//! The controller's REST API, `cmc.sectransport` 2.0, and its sign-in.
//!
//! This is the only module that speaks HTTP: it builds every URL (relative
//! to the page's origin, so the console works wherever a controller serves
//! it), attaches the bearer token, gives every request a deadline, aborts
//! requests whose owner goes away, and turns every answer into a
//! `Result<T, ApiError>` that says what happened.
//!
//! Each function starts its request's bookkeeping when it is called (not
//! when its future is first polled), so that a call made inside a
//! resource's fetcher registers the abort with that resource's owner, and
//! reads the token there, so that the resource fetches again once a
//! sign-in brings a new token: that is how a request refused for want of a
//! sign-in is retried.
//!
//! A read that fails in a way that may pass (see [`crate::retry`]) is made
//! again after a short wait, a few times, unless its owner went away
//! meanwhile; writes are made once. Every answer, or the lack of one, is
//! recorded in the client, so the app can say when the controller cannot
//! be reached. A read that gave up on a failure that may pass is tried
//! again by itself (its resource fetches again) once the controller is
//! found answering after it could not be reached; a write never is.

use crate::retry;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use gloo_net::http::{Request, RequestBuilder};
use leptos::logging;
use leptos::prelude::{
    expect_context, on_cleanup, set_timeout_with_handle, ArcTrigger, Get, GetUntracked, Notify,
    RwSignal, Set, StoredValue, Track, Update, UpdateValue,
};
use model::{
    AllPeerGroupStats, Appliance, Appliances, Configuration, ErrorBody, Group, GroupStats, Groups,
    PeerGroupStats, Timestamp, TokenResponse, API_PREFIX, TOKEN_PATH,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use send_wrapper::SendWrapper;
use serde::de::{DeserializeOwned, IgnoredAny};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use web_sys::AbortController;

/// How long a request may take before it is abandoned.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Why a request did not produce what was asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The controller answered with an error status, and its error body
    /// when it sent one.
    Status {
        status: u16,
        error: Option<ErrorBody>,
    },
    /// The answer is not JSON at all, such as a proxy's HTML error page.
    NotJson { status: u16 },
    /// The answer is JSON (or empty) but not the resource that was asked for.
    Unreadable { status: u16, detail: String },
    /// No answer: the network, DNS, TLS or CORS failed.
    Network { detail: String },
    /// No answer within [`TIMEOUT`].
    Timeout,
}

impl ApiError {
    /// Whether the controller wants a (new) sign-in: a 401 whose error id
    /// is one of the `AUTH_*` family.
    pub fn needs_sign_in(&self) -> bool {
        match self {
            ApiError::Status {
                status: 401,
                error: Some(e),
            } => e.error_id.starts_with("AUTH_"),
            // A 401 whose JSON body did not come through whole still asks
            // for credentials: that is what the status means. (A web page
            // answering 401 is someone else's, such as a proxy's.)
            ApiError::Status {
                status: 401,
                error: None,
            } => true,
            _ => false,
        }
    }

    /// Whether a write was refused because the configuration changed since
    /// the revision it named (412 Precondition Failed).
    pub fn is_stale(&self) -> bool {
        self.status() == Some(412)
    }

    /// The HTTP status of the answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. }
            | ApiError::NotJson { status }
            | ApiError::Unreadable { status, .. } => Some(*status),
            ApiError::Network { .. } | ApiError::Timeout => None,
        }
    }

    /// What happened, in a sentence for an administrator.
    pub fn user_message(&self) -> String {
        match self {
            ApiError::Status { error: Some(e), .. } if !e.error_text.trim().is_empty() => {
                e.error_text.clone()
            }
            ApiError::Status { status, .. } => {
                format!("The controller answered {status} without an explanation")
            }
            ApiError::NotJson { status } => {
                format!("The controller answered {status} with a non-JSON page")
            }
            ApiError::Unreadable { .. } => "The controller's answer could not be read".into(),
            ApiError::Network { .. } => "Cannot reach the controller".into(),
            ApiError::Timeout => format!(
                "The controller did not answer within {} seconds",
                TIMEOUT.as_secs()
            ),
        }
    }

    /// Technical detail for whoever debugs it, if there is any.
    pub fn detail(&self) -> Option<String> {
        match self {
            ApiError::Status {
                status,
                error: Some(e),
            } => Some(format!("HTTP {status}, {}", e.error_id)),
            ApiError::Status { error: None, .. } => None,
            ApiError::NotJson { .. } => Some(
                "A proxy or another web server may be answering instead of the controller.".into(),
            ),
            ApiError::Unreadable { detail, .. } => Some(detail.clone()),
            ApiError::Network { detail } => {
                Some(format!("Check the network connection ({detail})."))
            }
            ApiError::Timeout => None,
        }
    }
}

/// A resource with the configuration revision it was read at (its `ETag`),
/// which a write sends back as `If-Match` so that it cannot overwrite a
/// change made meanwhile.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    /// The entity tag as the controller sent it, quotes included; `None`
    /// when the controller sent none.
    pub revision: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.user_message())?;
        match self.detail() {
            Some(d) => write!(f, " ({d})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// Turns an answer's status and body into the resource or an error.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    let is_json = || serde_json::from_str::<IgnoredAny>(body).is_ok();
    // JSON that ends before it is complete: the controller answered, but the
    // answer was cut short on its way (not a proxy's page).
    let cut_short = || {
        !body.trim().is_empty()
            && serde_json::from_str::<IgnoredAny>(body).is_err_and(|e| e.is_eof())
    };
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|e| {
            if body.trim().is_empty() {
                ApiError::Unreadable {
                    status,
                    detail: "the answer is empty".into(),
                }
            } else if cut_short() {
                ApiError::Unreadable {
                    status,
                    detail: format!("the answer was cut short after {} bytes", body.len()),
                }
            } else if is_json() {
                ApiError::Unreadable {
                    status,
                    detail: e.to_string(),
                }
            } else {
                ApiError::NotJson { status }
            }
        });
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(error) => Err(ApiError::Status {
            status,
            error: Some(error),
        }),
        Err(_) if body.trim().is_empty() || is_json() || cut_short() => Err(ApiError::Status {
            status,
            error: None,
        }),
        Err(_) => Err(ApiError::NotJson { status }),
    }
}

/// [`decode`] with the answer's `ETag`. No content (a delete's answer)
/// reads as JSON `null`, so as `()`.
pub fn decode_versioned<T: DeserializeOwned>(
    status: u16,
    revision: Option<String>,
    body: &str,
) -> Result<Versioned<T>, ApiError> {
    let body = if status == 204 { "null" } else { body };
    decode(status, body).map(|value| Versioned { value, revision })
}

/// Who is asking: the bearer token once signed in, kept in memory only, and
/// whether the controller has asked for a sign-in. It is `Copy`, shared
/// through the context by the app.
#[derive(Clone, Copy)]
pub struct Client {
    token: RwSignal<Option<String>>,
    sign_in_wanted: RwSignal<bool>,
    /// Whether the last answer (or its absence) said that the controller
    /// cannot be reached.
    unreachable: RwSignal<bool>,
    /// How many reads are waiting to be retried.
    retrying: RwSignal<usize>,
    /// The reads that gave up on a failure that may pass: each one's
    /// resource fetches again when this trigger of its fires.
    stalled: StoredValue<Vec<ArcTrigger>>,
}

impl Client {
    /// A client that is not signed in.
    pub fn new() -> Self {
        Client {
            token: RwSignal::new(None),
            sign_in_wanted: RwSignal::new(false),
            unreachable: RwSignal::new(false),
            retrying: RwSignal::new(0),
            stalled: StoredValue::new(Vec::new()),
        }
    }

    /// Whether the latest request found the controller unreachable (no
    /// answer, or a gateway's 502, 503 or 504); any later answer clears it.
    pub fn unreachable(&self) -> bool {
        self.unreachable.get()
    }

    /// Whether some read is waiting to be tried again.
    pub fn retrying(&self) -> bool {
        self.retrying.get() > 0
    }

    /// The client the app put in the context.
    pub fn expect() -> Self {
        expect_context::<Client>()
    }

    /// Whether an answer asked for a sign-in that has not happened yet.
    pub fn sign_in_wanted(&self) -> bool {
        self.sign_in_wanted.get()
    }

    /// Keeps the token of a successful sign-in; every resource that was
    /// fetched with the old one (or none) fetches again.
    fn signed_in(&self, token: String) {
        self.token.set(Some(token));
        self.sign_in_wanted.set(false);
    }

    fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> impl Future<Output = Result<T, ApiError>> {
        let url = format!("{API_PREFIX}{path}{}", query_string(query));
        let flight = Flight::start(self, "GET", url.clone()).waking();
        let builder = self.read_builder(url);
        let wanted = self.sign_in_wanted;
        async move {
            let result = flight.run(builder, None).await;
            if result.as_ref().is_err_and(ApiError::needs_sign_in) && !wanted.get_untracked() {
                wanted.set(true);
            }
            result
        }
    }
}

impl Client {
    /// Makes a read's request, once per attempt.
    fn read_builder(&self, url: String) -> impl Fn() -> RequestBuilder {
        // A tracked read: a new token makes the caller's resource fetch again.
        let token = self.token.get();
        move || {
            let builder = Request::get(&url).header("Accept", "application/json");
            match &token {
                Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
                None => builder,
            }
        }
    }

    /// A write: `body` as JSON, and `If-Match` with the revision the
    /// change was made against, when there is one.
    fn send<T: DeserializeOwned>(
        &self,
        method: &'static str,
        path: &str,
        body: Option<String>,
        revision: Option<&str>,
    ) -> impl Future<Output = Result<Versioned<T>, ApiError>> {
        let url = format!("{API_PREFIX}{path}");
        let flight = Flight::start(self, method, url.clone());
        let has_body = body.is_some();
        let revision = revision.map(str::to_string);
        let token = self.token.get_untracked();
        let builder = move || {
            let mut builder = match method {
                "POST" => Request::post(&url),
                "PUT" => Request::put(&url),
                _ => Request::delete(&url),
            }
            .header("Accept", "application/json");
            if has_body {
                builder = builder.header("Content-Type", "application/json");
            }
            if let Some(revision) = &revision {
                builder = builder.header("If-Match", revision);
            }
            if let Some(token) = &token {
                builder = builder.header("Authorization", &format!("Bearer {token}"));
            }
            builder
        };
        let wanted = self.sign_in_wanted;
        async move {
            let result = flight.run_versioned(builder, body).await;
            if result.as_ref().is_err_and(ApiError::needs_sign_in) {
                wanted.set(true);
            }
            result
        }
    }

    /// A read with the revision it was made at.
    fn get_versioned<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> impl Future<Output = Result<Versioned<T>, ApiError>> {
        let url = format!("{API_PREFIX}{path}");
        let flight = Flight::start(self, "GET", url.clone()).waking();
        let builder = self.read_builder(url);
        let wanted = self.sign_in_wanted;
        async move {
            let result = flight.run_versioned(builder, None).await;
            if result.as_ref().is_err_and(ApiError::needs_sign_in) && !wanted.get_untracked() {
                wanted.set(true);
            }
            result
        }
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

/// One request in flight, over its attempts: whether its owner went away,
/// the abort switch of the attempt under way, and where outcomes go.
struct Flight {
    method: &'static str,
    url: String,
    /// Set when the owner is cleaned up: no attempt follows.
    cancelled: Rc<Cell<bool>>,
    /// The abort switch of the current attempt.
    current: Rc<RefCell<Option<AbortController>>>,
    unreachable: RwSignal<bool>,
    retrying: RwSignal<usize>,
    stalled: StoredValue<Vec<ArcTrigger>>,
    /// For a read made by a resource: what makes the resource fetch again
    /// once the controller answers, should this read give up meanwhile.
    wake: Option<ArcTrigger>,
}

impl Flight {
    /// Prepares the request and aborts it, and any retry, when the current
    /// reactive owner is cleaned up (a page left, a resource disposed).
    fn start(client: &Client, method: &'static str, url: String) -> Flight {
        let cancelled = Rc::new(Cell::new(false));
        let current = Rc::new(RefCell::new(None::<AbortController>));
        let on_gone = SendWrapper::new((cancelled.clone(), current.clone()));
        on_cleanup(move || {
            let (cancelled, current) = &*on_gone;
            cancelled.set(true);
            if let Some(abort) = current.borrow().as_ref() {
                abort.abort();
            }
        });
        Flight {
            method,
            url,
            cancelled,
            current,
            unreachable: client.unreachable,
            retrying: client.retrying,
            stalled: client.stalled,
            wake: None,
        }
    }

    /// Makes the caller (a resource's fetcher, when there is one) depend
    /// on a trigger that fires if this read gives up and the controller
    /// answers again later.
    fn waking(mut self) -> Flight {
        let wake = ArcTrigger::new();
        wake.track();
        self.wake = Some(wake);
        self
    }

    async fn run<T: DeserializeOwned>(
        self,
        builder: impl Fn() -> RequestBuilder,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        self.run_versioned(builder, body)
            .await
            .map(|answer| answer.value)
    }

    /// Runs the request, again after a wait while [`retry::next_delay`]
    /// says so and the owner is still there, and decodes its answer with
    /// the answer's `ETag`.
    async fn run_versioned<T: DeserializeOwned>(
        self,
        builder: impl Fn() -> RequestBuilder,
        body: Option<String>,
    ) -> Result<Versioned<T>, ApiError> {
        let mut retries = 0;
        loop {
            let result = self.attempt(builder(), body.clone()).await;
            let Err(error) = &result else {
                self.record(None);
                return result;
            };
            if self.cancelled.get() {
                return result;
            }
            self.record(Some(error));
            let random = js_sys::Math::random();
            let Some(wait) = retry::next_delay(self.method, error, retries, random) else {
                // FIXME: a read that gave up on a 500 while the controller was
                // reachable waits here until the next spell of unreachability
                // ends, and is read again then; listing only reads that found no
                // controller would be stricter, but a proxy's 500 during an
                // outage would then wait for its Retry after the outage ends.
                if retry::is_retryable(error) {
                    if let Some(wake) = &self.wake {
                        self.stalled.update_value(|s| s.push(wake.clone()));
                    }
                }
                return result;
            };
            let _waiting = Waiting::new(self.retrying);
            sleep(wait).await;
            if self.cancelled.get() {
                return result;
            }
            retries += 1;
        }
    }

    /// Notes whether an attempt found the controller unreachable; when it
    /// answers again, the reads that gave up meanwhile are made again.
    fn record(&self, error: Option<&ApiError>) {
        let unreachable = error.is_some_and(retry::is_unreachable);
        if self.unreachable.get_untracked() == unreachable {
            return;
        }
        self.unreachable.set(unreachable);
        if !unreachable {
            let stalled = self
                .stalled
                .try_update_value(std::mem::take)
                .unwrap_or_default();
            for wake in stalled {
                wake.notify();
            }
        }
    }

    /// One attempt, with its own abort switch and deadline.
    async fn attempt<T: DeserializeOwned>(
        &self,
        builder: RequestBuilder,
        body: Option<String>,
    ) -> Result<Versioned<T>, ApiError> {
        let abort = AbortController::new().ok();
        self.current.replace(abort.clone());
        let timed_out = Rc::new(Cell::new(false));
        let builder = builder.abort_signal(abort.as_ref().map(|a| a.signal()).as_ref());
        let request = match body {
            Some(body) => builder.body(body),
            None => builder.build(),
        };
        let deadline = abort.clone().and_then(|abort| {
            let timed_out = timed_out.clone();
            let on_time_out = move || {
                timed_out.set(true);
                abort.abort();
            };
            set_timeout_with_handle(on_time_out, TIMEOUT).ok()
        });
        let failure = |e: gloo_net::Error| {
            if timed_out.get() {
                ApiError::Timeout
            } else {
                ApiError::Network {
                    detail: e.to_string(),
                }
            }
        };

        let answer = async {
            let response = request.map_err(failure)?.send().await.map_err(failure)?;
            let status = response.status();
            let revision = response.headers().get("ETag");
            let text = response.text().await.map_err(failure)?;
            Ok((status, revision, text))
        }
        .await;
        if let Some(deadline) = deadline {
            deadline.clear();
        }

        let result =
            answer.and_then(|(status, revision, text)| decode_versioned(status, revision, &text));
        if let Err(e) = &result {
            logging::warn!("{} {} failed: {e}", self.method, self.url);
        }
        result
    }
}

/// Counts a read as waiting to be retried for as long as it lives.
struct Waiting(RwSignal<usize>);

impl Waiting {
    fn new(retrying: RwSignal<usize>) -> Self {
        retrying.update(|n| *n += 1);
        Waiting(retrying)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.try_update(|n| *n = n.saturating_sub(1));
    }
}

/// Resolves after `wait`.
async fn sleep(wait: Duration) {
    let (done, woken) = futures::channel::oneshot::channel::<()>();
    if set_timeout_with_handle(
        move || {
            let _ = done.send(());
        },
        wait,
    )
    .is_ok()
    {
        let _ = woken.await;
    }
}

/// `?a=1&b=2` from pairs, or nothing without pairs.
fn query_string(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", form_encode(pairs))
    }
}

/// `application/x-www-form-urlencoded` text of the pairs.
fn form_encode(pairs: &[(&str, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        .finish()
}

/// Everything but RFC 3986's unreserved characters is escaped in a path
/// segment, so a serial can never add a segment or a query.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A serial (or any text) as one path segment.
fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// The sign-in assertion: an unsigned token whose payload is the access
/// code, `base64url('{"alg":"none"}') + "." + code + "."`.
fn assertion(access_code: &str) -> String {
    format!(
        "{}.{access_code}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#)
    )
}

/// A random value that ties a sign-in answer to its request.
fn random_state() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    let filled = crypto.is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Without Web Crypto the state still tells answers apart.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `POST /api/common/1.0/oauth/token`: exchanges an access code for a
/// bearer token, which the client keeps (in memory only) and sends from
/// then on.
pub fn sign_in(client: Client, access_code: &str) -> impl Future<Output = Result<(), ApiError>> {
    let state = random_state();
    let body = form_encode(&[
        ("grant_type", "access_code".into()),
        ("assertion", assertion(access_code)),
        ("state", state.clone()),
    ]);
    let builder = || {
        Request::post(TOKEN_PATH)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
    };
    let flight = Flight::start(&client, "POST", TOKEN_PATH.to_string());
    async move {
        let answer: TokenResponse = flight.run(builder, Some(body)).await?;
        if answer
            .state
            .as_deref()
            .is_some_and(|echoed| echoed != state)
        {
            return Err(ApiError::Unreadable {
                status: 200,
                detail: "the sign-in answer names another request's state".into(),
            });
        }
        client.signed_in(answer.access_token);
        Ok(())
    }
}

/// One cheap read (`GET /configuration`, once) to learn whether the
/// controller answers; any answer counts, a refusal too. Its outcome is
/// recorded like every other request's, but a refusal asks for no sign-in.
pub fn probe(client: Client) -> impl Future<Output = Result<(), ApiError>> {
    let url = format!("{API_PREFIX}/configuration");
    let flight = Flight::start(&client, "GET", url.clone());
    let token = client.token.get_untracked();
    async move {
        let builder = Request::get(&url).header("Accept", "application/json");
        let builder = match &token {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
            None => builder,
        };
        let result = flight.attempt::<IgnoredAny>(builder, None).await;
        // A probe aborted because probing stopped says nothing of the controller.
        if !flight.cancelled.get() {
            flight.record(result.as_ref().err());
        }
        result.map(|_| ())
    }
}

/// `GET /groups`.
pub fn groups(client: Client) -> impl Future<Output = Result<Groups, ApiError>> {
    client.get("/groups", &[])
}

/// `GET /groups/items/{id}`.
pub fn group(client: Client, id: i64) -> impl Future<Output = Result<Group, ApiError>> {
    client.get(&format!("/groups/items/{id}"), &[])
}

/// `GET /groups/items/{id}` with the revision it was read at, for an edit.
pub fn group_versioned(
    client: Client,
    id: i64,
) -> impl Future<Output = Result<Versioned<Group>, ApiError>> {
    client.get_versioned(&format!("/groups/items/{id}"))
}

/// `GET /groups` with the revision it was read at.
pub fn groups_versioned(
    client: Client,
) -> impl Future<Output = Result<Versioned<Groups>, ApiError>> {
    client.get_versioned("/groups")
}

/// The JSON body of a group write. The controller assigns ids, so a new
/// group is sent without one.
fn group_body(group: &Group) -> String {
    serde_json::to_string(group).unwrap_or_else(|_| "{}".into())
}

/// `POST /groups`: creates a group; the answer is the group as the
/// controller stored it, with its id.
pub fn create_group(
    client: Client,
    group: &Group,
) -> impl Future<Output = Result<Versioned<Group>, ApiError>> {
    let group = Group {
        id: None,
        ..group.clone()
    };
    client.send("POST", "/groups", Some(group_body(&group)), None)
}

/// `PUT /groups/items/{id}`: replaces the group's settings, members and
/// other properties, if the configuration is still at `revision` (412
/// otherwise); the answer is the group as the controller stored it.
pub fn replace_group(
    client: Client,
    id: i64,
    group: &Group,
    revision: Option<&str>,
) -> impl Future<Output = Result<Versioned<Group>, ApiError>> {
    let path = format!("/groups/items/{id}");
    client.send("PUT", &path, Some(group_body(group)), revision)
}

/// `DELETE /groups/items/{id}`, if the configuration is still at
/// `revision` (412 otherwise).
pub fn delete_group(
    client: Client,
    id: i64,
    revision: Option<&str>,
) -> impl Future<Output = Result<(), ApiError>> {
    let answer = client.send::<()>("DELETE", &format!("/groups/items/{id}"), None, revision);
    async move { answer.await.map(|_| ()) }
}

/// `GET /groups/items/{id}/group_stats` within `range`.
pub fn group_stats(
    client: Client,
    id: i64,
    range: (Timestamp, Timestamp),
) -> impl Future<Output = Result<GroupStats, ApiError>> {
    client.get(
        &format!("/groups/items/{id}/group_stats"),
        &range_query(range),
    )
}

/// `GET /groups/items/{id}/all_peer_group_stats` within `range`.
pub fn all_peer_group_stats(
    client: Client,
    id: i64,
    range: (Timestamp, Timestamp),
) -> impl Future<Output = Result<AllPeerGroupStats, ApiError>> {
    client.get(
        &format!("/groups/items/{id}/all_peer_group_stats"),
        &range_query(range),
    )
}

/// `GET /appliances`.
pub fn appliances(client: Client) -> impl Future<Output = Result<Appliances, ApiError>> {
    client.get("/appliances", &[])
}

/// `GET /appliances/items/{serial}`.
pub fn appliance(
    client: Client,
    serial: &str,
) -> impl Future<Output = Result<Appliance, ApiError>> {
    client.get(&format!("/appliances/items/{}", segment(serial)), &[])
}

/// `GET /appliances/items/{serial}/group_stats` of one group within `range`.
pub fn peer_group_stats(
    client: Client,
    serial: &str,
    group_id: i64,
    range: (Timestamp, Timestamp),
) -> impl Future<Output = Result<PeerGroupStats, ApiError>> {
    let mut query = range_query(range);
    query.push(("group_id", group_id.to_string()));
    client.get(
        &format!("/appliances/items/{}/group_stats", segment(serial)),
        &query,
    )
}

/// `GET /configuration`.
pub fn configuration(client: Client) -> impl Future<Output = Result<Configuration, ApiError>> {
    client.get("/configuration", &[])
}

fn range_query((start, end): (Timestamp, Timestamp)) -> Vec<(&'static str, String)> {
    vec![
        ("start_time", start.to_string()),
        ("end_time", end.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: u16, id: &str, text: &str) -> ApiError {
        ApiError::Status {
            status,
            error: Some(ErrorBody {
                error_id: id.into(),
                error_text: text.into(),
            }),
        }
    }

    #[test]
    fn answers_become_results() {
        let rows: &[(u16, &str, Result<usize, ApiError>)] = &[
            (
                200,
                r#"{"items": [{"name": "a"}, {"name": "b", "colour": 1}]}"#,
                Ok(2),
            ),
            (200, "{}", Ok(0)),
            (
                200,
                "<html>Gateway login</html>",
                Err(ApiError::NotJson { status: 200 }),
            ),
            (
                502,
                "<html><body>Bad Gateway</body></html>",
                Err(ApiError::NotJson { status: 502 }),
            ),
            (
                404,
                r#"{"error_id": "NOT_FOUND", "error_text": "No such group"}"#,
                Err(error(404, "NOT_FOUND", "No such group")),
            ),
            (
                500,
                r#"{"oops": true}"#,
                Err(ApiError::Status {
                    status: 500,
                    error: None,
                }),
            ),
            (
                503,
                "",
                Err(ApiError::Status {
                    status: 503,
                    error: None,
                }),
            ),
            // A cut-short error body is the controller's, without its explanation.
            (
                500,
                r#"{"error_id": "INTER"#,
                Err(ApiError::Status {
                    status: 500,
                    error: None,
                }),
            ),
            (
                200,
                r#"{"items": [{"name": "a"}, {"na"#,
                Err(ApiError::Unreadable {
                    status: 200,
                    detail: "the answer was cut short after 30 bytes".into(),
                }),
            ),
        ];
        for (status, body, want) in rows {
            let got = decode::<Groups>(*status, body).map(|g| g.items.len());
            assert_eq!(&got, want, "{status} {body}");
        }
    }

    #[test]
    fn writes_keep_the_revision_and_know_a_stale_one() {
        let got = decode_versioned::<Group>(200, Some("\"7\"".into()), r#"{"id": 3, "name": "g"}"#)
            .unwrap();
        assert_eq!(got.revision.as_deref(), Some("\"7\""));
        assert_eq!(got.value.id, Some(3));
        assert_eq!(decode_versioned::<()>(204, None, "").unwrap().value, ());
        let stale = decode_versioned::<()>(
            412,
            None,
            r#"{"error_id": "STALE_REVISION", "error_text": "the configuration changed"}"#,
        )
        .unwrap_err();
        assert!(stale.is_stale());
        assert_eq!(stale.user_message(), "the configuration changed");
        assert!(!error(409, "NAME_TAKEN", "taken").is_stale());
    }

    #[test]
    fn a_wrong_shape_says_what_is_wrong() {
        let Err(ApiError::Unreadable { status, detail }) =
            decode::<Groups>(200, r#"{"items": [{"id": 1}]}"#)
        else {
            panic!("expected Unreadable");
        };
        assert_eq!(status, 200);
        assert!(detail.contains("name"), "{detail}");
        let Err(ApiError::Unreadable { detail, .. }) = decode::<Groups>(200, " ") else {
            panic!("expected Unreadable");
        };
        assert_eq!(detail, "the answer is empty");
    }

    #[test]
    fn messages_for_administrators() {
        let rows = [
            (
                error(404, "NOT_FOUND", "No such group"),
                "No such group",
                true,
            ),
            (
                error(500, "INTERNAL", " "),
                "The controller answered 500 without an explanation",
                true,
            ),
            (
                ApiError::NotJson { status: 502 },
                "The controller answered 502 with a non-JSON page",
                true,
            ),
            (
                ApiError::Network {
                    detail: "TypeError".into(),
                },
                "Cannot reach the controller",
                true,
            ),
            (
                ApiError::Timeout,
                "The controller did not answer within 20 seconds",
                false,
            ),
        ];
        for (e, message, has_detail) in rows {
            assert_eq!(e.user_message(), message);
            assert_eq!(e.detail().is_some(), has_detail, "{e:?}");
        }
    }

    #[test]
    fn only_auth_errors_ask_for_a_sign_in() {
        assert!(error(401, "AUTH_REQUIRED", "Sign in").needs_sign_in());
        assert!(error(401, "AUTH_EXPIRED_TOKEN", "Expired").needs_sign_in());
        assert!(!error(401, "NOT_FOUND", "?").needs_sign_in());
        assert!(!error(403, "AUTH_FORBIDDEN", "No").needs_sign_in());
        assert!(!ApiError::NotJson { status: 401 }.needs_sign_in());
        // Cut short on its way: still the controller's 401.
        assert!(decode::<()>(401, r#"{"error_id": "AUTH_REQ"#)
            .unwrap_err()
            .needs_sign_in());
    }

    #[test]
    fn encodings() {
        assert_eq!(assertion("abc"), "eyJhbGciOiJub25lIn0.abc.");
        assert_eq!(segment("SN 1/ä?x"), "SN%201%2F%C3%A4%3Fx");
        assert_eq!(segment("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(
            form_encode(&[
                ("grant_type", "access_code".into()),
                ("assertion", "a.b+c =.".into())
            ]),
            "grant_type=access_code&assertion=a.b%2Bc+%3D."
        );
        assert_eq!(
            query_string(&range_query((1, 2))),
            "?start_time=1&end_time=2"
        );
        assert_eq!(query_string(&[]), "");
    }
}
