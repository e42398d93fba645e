//! A small HTTP/1.1 server on 127.0.0.1 (port 0) for driving the real
//! `foi fetch`: one thread per connection, every connection closed after
//! one reply, and a log of what was asked and what was sent. Nothing here
//! talks to anything but loopback.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Req {
    /// The path, percent-decoded: "/kent/FOI 17-0412 Response.xlsx".
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request and what was sent back.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub req: Req,
    pub status: u16,
    /// Body bytes written to the connection before it ended.
    pub body_sent: u64,
    /// The reply is over (sent, or the connection broke).
    pub done: bool,
}

pub enum Reply {
    /// Status, extra headers and body, with a correct Content-Length.
    Full(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Waits, then replies.
    Delayed(Duration, Box<Reply>),
    /// Declares `declared` bytes, sends `body`, and closes.
    Short { declared: u64, body: Vec<u8> },
    /// Declares `declared` bytes, sends `body`, then holds the connection
    /// open, sending nothing, until the client hangs up or the server stops.
    Stall { declared: u64, body: Vec<u8> },
    /// Sends nothing at all until the client hangs up or the server stops.
    Silent,
    /// Streams `total` filler bytes, with or without a Content-Length
    /// (without, the body runs until the connection closes).
    Stream { total: u64, declare: bool },
}

/// A file as a web server sends it: 200 with an ETag (its sha256) and a
/// Last-Modified, or 304 with no body when the client already has it.
pub fn file(req: &Req, bytes: &[u8]) -> Reply {
    let tag = etag(bytes);
    if req.header("if-none-match") == Some(tag.as_str()) {
        return Reply::Full(304, vec![("ETag", tag)], Vec::new());
    }
    Reply::Full(
        200,
        vec![
            ("ETag", tag),
            ("Last-Modified", "Mon, 03 Jul 2017 09:00:00 GMT".into()),
            ("Content-Type", "application/octet-stream".into()),
        ],
        bytes.to_vec(),
    )
}

/// The ETag [`file`] gives these bytes.
pub fn etag(bytes: &[u8]) -> String {
    format!("\"{}\"", sha256(bytes))
}

/// Lower-case hex sha256.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

type Handler = dyn Fn(&Req, usize) -> Reply + Send + Sync;

pub struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Exchange>>>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts a server; `handler` gets each request and how many earlier
    /// requests there were for the same path.
    pub fn start(handler: impl Fn(&Req, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("addr");
        let server = Server {
            addr,
            log: Arc::default(),
            in_flight: Arc::default(),
            max_in_flight: Arc::default(),
            stop: Arc::default(),
        };
        let handler: Arc<Handler> = Arc::new(handler);
        let (log, in_flight, max, stop) = (
            server.log.clone(),
            server.in_flight.clone(),
            server.max_in_flight.clone(),
            server.stop.clone(),
        );
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let conn_ctx = Conn {
                    log: log.clone(),
                    handler: handler.clone(),
                    in_flight: in_flight.clone(),
                    max: max.clone(),
                    stop: stop.clone(),
                };
                std::thread::spawn(move || conn_ctx.serve(conn));
            }
        });
        server
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL of a (decoded) path, percent-encoded as a config would hold it.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base(), encode_path(path))
    }

    pub fn log(&self) -> Vec<Exchange> {
        self.log.lock().expect("log").clone()
    }

    /// The exchanges for one path, in order.
    pub fn exchanges(&self, path: &str) -> Vec<Exchange> {
        self.log()
            .into_iter()
            .filter(|e| e.req.path == path)
            .collect()
    }

    /// The most requests the server was answering at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    /// Waits (up to 10 s) until every reply for `path` is over, and returns
    /// the exchanges.
    pub fn settled(&self, path: &str) -> Vec<Exchange> {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let ex = self.exchanges(path);
            if ex.iter().all(|e| e.done) || Instant::now() > until {
                return ex;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

struct Conn {
    log: Arc<Mutex<Vec<Exchange>>>,
    handler: Arc<Handler>,
    in_flight: Arc<AtomicUsize>,
    max: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Conn {
    fn serve(self, mut conn: TcpStream) {
        let Some(req) = read_request(&mut conn) else {
            return;
        };
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        let (index, earlier) = {
            let mut log = self.log.lock().expect("log");
            let earlier = log.iter().filter(|e| e.req.path == req.path).count();
            log.push(Exchange {
                req: req.clone(),
                status: 0,
                body_sent: 0,
                done: false,
            });
            (log.len() - 1, earlier)
        };
        let mut reply = (self.handler)(&req, earlier);
        while let Reply::Delayed(wait, inner) = reply {
            std::thread::sleep(wait);
            reply = *inner;
        }
        // No longer "in flight" once the answer starts: the client may be
        // done with it (and start another) before this thread ends.
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let record = |status: u16, sent: u64, done: bool| {
            let mut log = self.log.lock().expect("log");
            let e = &mut log[index];
            e.status = status;
            e.body_sent = sent;
            e.done = done;
        };
        // Sends nothing more until the client hangs up or the server stops.
        let stalled = |conn: &mut TcpStream| {
            let _ = conn.set_read_timeout(Some(Duration::from_millis(20)));
            let mut byte = [0u8; 1];
            while !self.stop.load(Ordering::SeqCst) {
                match conn.read(&mut byte) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => break,
                }
            }
        };
        match reply {
            Reply::Full(status, headers, body) => {
                let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                if status != 304 {
                    head.push_str(&format!("Content-Length: {}\r\n", body.len()));
                }
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("Connection: close\r\n\r\n");
                let sent = send(&mut conn, head.as_bytes(), &body);
                record(status, sent, true);
            }
            Reply::Short { declared, body } => {
                let sent = send(&mut conn, &ok_head(Some(declared)), &body);
                record(200, sent, true);
            }
            Reply::Stall { declared, body } => {
                let sent = send(&mut conn, &ok_head(Some(declared)), &body);
                record(200, sent, false);
                stalled(&mut conn);
                record(200, sent, true);
            }
            Reply::Silent => {
                record(0, 0, false);
                stalled(&mut conn);
                record(0, 0, true);
            }
            Reply::Stream { total, declare } => {
                let head = ok_head(declare.then_some(total));
                let mut sent = 0;
                if conn.write_all(&head).is_ok() {
                    let chunk = vec![b'x'; 64 * 1024];
                    while sent < total {
                        let n = chunk.len().min((total - sent) as usize);
                        if conn.write_all(&chunk[..n]).is_err() {
                            break;
                        }
                        sent += n as u64;
                        record(200, sent, false);
                    }
                }
                record(200, sent, true);
            }
            Reply::Delayed(..) => unreachable!("unwrapped above"),
        }
        let _ = conn.shutdown(std::net::Shutdown::Both);
    }
}

fn ok_head(length: Option<u64>) -> Vec<u8> {
    let length = length
        .map(|n| format!("Content-Length: {n}\r\n"))
        .unwrap_or_default();
    format!("HTTP/1.1 200 OK\r\n{length}Connection: close\r\n\r\n").into_bytes()
}

/// Writes the head and body; returns how many body bytes were written.
fn send(conn: &mut TcpStream, head: &[u8], body: &[u8]) -> u64 {
    if conn.write_all(head).is_err() {
        return 0;
    }
    match conn.write_all(body).and_then(|()| conn.flush()) {
        Ok(()) => body.len() as u64,
        Err(_) => 0,
    }
}

fn read_request(conn: &mut TcpStream) -> Option<Req> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = head.split("\r\n");
    let target = lines.next()?.split(' ').nth(1)?.to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Req {
        path: decode_path(&target),
        headers,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Other",
    }
}

/// Percent-encodes everything in a path but unreserved characters and '/'.
pub fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
