//! Attachments through a real server and a real PostgreSQL, between two devices: bytes arrive
//! whole, equal chunks travel once, deletions reach the other device and the server, the server
//! holds no plaintext, and a full quota is a clear error that holds no row back.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use wisdom_core::{Error, Workspace};
use wisdom_model::{Attachment, EntryKind};
use wisdom_sync_server::{Background, Config};

const MIB: usize = 1 << 20;

/// A real JPEG of a sunset-like gradient with grain, as a phone camera would give (~1-2 MB).
fn photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut s = seed | 1;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        let grain = (s % 48) as u8;
        let sky = (255 * y / height) as u8;
        let across = (x * 255 / width) as u8;
        image::Rgb([(255 - sky / 3).saturating_add(grain / 3), 120 + grain, across / 2 + sky / 2])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92).encode_image(&img).unwrap();
    out
}

/// Bytes with no structure (a compressed voice memo looks like this).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s as u8
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn attach(d: &mut Device, event: &str, files: &[PathBuf]) -> Vec<Attachment> {
    d.ws.attach_files(EntryKind::Event, event, files).unwrap()
}

fn bytes(ws: &Workspace, id: &str) -> Vec<u8> {
    ws.attachment_bytes(id).unwrap().1
}

fn tenant_schema(stack: &Stack, d: &Device) -> String {
    let tenant = d.ws.sync_status().unwrap().unwrap().tenant_id;
    stack.pg.psql(&format!("SELECT schema_name FROM tenants WHERE id = '{tenant}'"))
}

fn server_chunks(stack: &Stack, schema: &str) -> i64 {
    stack.pg.psql(&format!("SELECT count(*) FROM {schema}.chunks")).parse().unwrap()
}

#[test]
fn files_arrive_whole_on_another_device_equal_chunks_travel_once_and_deletions_follow() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let files = tempfile::tempdir().unwrap();
    let mut laptop = Device::create(&clock);
    let walk = laptop.add_event("family", "Harbour walk with Ines", &["ines"]);
    let sunset = photo(1600, 1200, 7);
    let memo = noise(3 * MIB + MIB / 2, 11);
    let letter = b"Dear Ottoline, about the inheritance: I will sign on Thursday.".to_vec();
    let mine = attach(
        &mut laptop,
        &walk,
        &[
            write(files.path(), "sunset.jpg", &sunset),
            write(files.path(), "memo.m4a", &memo),
            write(files.path(), "letter-to-ottoline.txt", &letter),
        ],
    );
    register(&stack, &mut laptop, "ines@example.org");
    let sent = laptop.sync();
    let photo_chunks = sunset.len().div_ceil(MIB) as u32;
    assert_eq!((sent.files_sent, sent.chunks_sent), (3, photo_chunks + 4 + 1), "{sent:?}");
    let schema = tenant_schema(&stack, &laptop);
    assert_eq!(server_chunks(&stack, &schema), (photo_chunks + 5) as i64);

    // A new device gets every file whole, and makes its own thumbnail.
    let mut phone = Device::link(&stack, "ines@example.org", "phone", &clock);
    let theirs = phone.ws.attachments(Some((EntryKind::Event, &walk))).unwrap();
    let strip = |v: &[Attachment]| -> Vec<(String, String, String, u64)> {
        v.iter().map(|a| (a.id.clone(), a.file_name.clone(), a.hash.clone(), a.size)).collect()
    };
    assert_eq!(strip(&theirs), strip(&mine));
    assert_eq!(bytes(&phone.ws, &mine[0].id), sunset);
    assert_eq!(bytes(&phone.ws, &mine[1].id), memo);
    assert_eq!(bytes(&phone.ws, &mine[2].id), letter);
    let thumb = phone.ws.attachment_thumbnail(&mine[0].id).unwrap().expect("the photo gets a thumbnail");
    assert_eq!(&thumb[..2], &[0xFF, 0xD8], "a JPEG thumbnail");
    assert!(phone.ws.attachment(&mine[0].id).unwrap().has_thumbnail);
    assert_eq!(phone.ws.attachment_thumbnail(&mine[1].id).unwrap(), None, "audio has none");
    // A sync with nothing new sends and fetches no file.
    let quiet = phone.sync();
    assert_eq!((quiet.chunks_sent, quiet.chunks_received, quiet.files_sent), (0, 0, 0), "{quiet:?}");

    // The same photo on another entry, and a trimmed memo that shares its first two chunks:
    // only the trimmed memo's new last chunk travels.
    let dinner = laptop.add_event("family", "Dinner at Ines's parents", &[]);
    let mut trimmed = memo[..2 * MIB].to_vec();
    trimmed.extend(noise(100 * 1024, 12));
    let second = attach(
        &mut laptop,
        &dinner,
        &[write(files.path(), "sunset-again.jpg", &sunset), write(files.path(), "memo-trimmed.m4a", &trimmed)],
    );
    let sent = laptop.sync();
    assert_eq!((sent.files_sent, sent.chunks_sent), (2, 1), "{sent:?}");
    assert_eq!(server_chunks(&stack, &schema), (photo_chunks + 6) as i64);
    let got = phone.sync();
    assert_eq!((got.files_received, got.chunks_received), (1, 1), "the photo was here already: {got:?}");
    assert_eq!(bytes(&phone.ws, &second[1].id), trimmed);
    assert_eq!(bytes(&phone.ws, &second[0].id), sunset);

    // Deleting on the phone: the memo goes from the laptop too, and from the server its two
    // chunks the trimmed memo does not share; the photo stays while the dinner still has it.
    phone.ws.delete_attachment(&mine[1].id).unwrap();
    phone.ws.delete_event(&walk).unwrap();
    phone.sync();
    laptop.sync();
    assert!(matches!(laptop.ws.attachment(&mine[1].id), Err(Error::NotFound { .. })));
    assert!(matches!(laptop.ws.attachment(&mine[0].id), Err(Error::NotFound { .. })));
    assert_eq!(bytes(&laptop.ws, &second[0].id), sunset);
    assert_eq!(laptop.ws.attachments(None).unwrap().len(), 2);
    assert_eq!(phone.ws.attachments(None).unwrap().len(), 2);
    assert_eq!(server_chunks(&stack, &schema), (photo_chunks + 3) as i64, "photo, trimmed memo's three");
    assert_converged(&[&laptop, &phone]);

    // Another account reaches none of it: a chunk of this tenant is the same 404 as none, and a
    // release it sends for this tenant's attachment ids touches nothing.
    let raw = Raw::new(&stack.url());
    let (token, own_tenant, _) = raw.account("mallory@example.org");
    let tenant = laptop.ws.sync_status().unwrap().unwrap().tenant_id;
    let held = stack.pg.psql(&format!("SELECT id FROM {schema}.chunks LIMIT 1"));
    assert_eq!(raw.send("GET", &format!("/tenants/{tenant}/chunks/{held}"), Some(&token), None).0, 404);
    let release = serde_json::json!({"owners": [second[0].id, second[1].id]});
    let (s, _) = raw.json("POST", &format!("/tenants/{own_tenant}/chunks/release"), Some(&token), release);
    assert_eq!(s, 200);
    assert_eq!(server_chunks(&stack, &schema), (photo_chunks + 3) as i64, "nothing released in another tenant");

    // The server holds ciphertext only: no file name, no content, in text or hex.
    let dump = stack.pg.dump();
    for secret in ["letter-to-ottoline", "sunset.jpg", "memo.m4a", "Ottoline", "inheritance"] {
        assert!(!dump.contains(secret), "{secret:?} is in the database dump");
        let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
        assert!(!dump.contains(&hex), "{secret:?} is in the database dump as hex");
    }
}

#[test]
fn a_full_quota_is_a_clear_error_and_the_rows_still_travel() {
    let pg = Pg::start();
    let mut config = Config::new(pg.url());
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.tenant_quota = 3 * MIB as i64;
    let server = Background::start(config).unwrap();
    let clock = TestClock::new();
    let files = tempfile::tempdir().unwrap();
    let mut laptop = Device::create(&clock);
    let trip = laptop.add_event("travel-adventure", "Ferry to the islands", &[]);
    let small = attach(&mut laptop, &trip, &[write(files.path(), "deck.jpg", &photo(800, 600, 3))]);
    register_at(&server.url(), &mut laptop, "ferry@example.org");
    laptop.sync();
    let big = attach(&mut laptop, &trip, &[write(files.path(), "engine-noise.m4a", &noise(4 * MIB, 5))]);
    let notes = laptop.add_event("travel-adventure", "Wrote postcards on the ferry", &[]);

    let refused = laptop.ws.sync_now().unwrap_err();
    match &refused {
        Error::SyncServer { status: 507, message, .. } => assert!(message.contains("full"), "{message}"),
        other => panic!("expected the server's quota refusal, got {other:?}"),
    }
    // The event went; the attachment over the quota waits, and the other device is not shown a
    // file it could not fetch.
    let phone = Device::link_at(&server.url(), "ferry@example.org", "phone", &clock);
    assert!(phone.ws.event(&notes).is_ok());
    let there: Vec<String> = phone.ws.attachments(None).unwrap().into_iter().map(|a| a.id).collect();
    assert_eq!(there, vec![small[0].id.clone()]);
    assert!(laptop.ws.sync_status().unwrap().unwrap().pending >= 1, "{:?}", big[0].id);
}
