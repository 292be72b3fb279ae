//! The few Linux calls the unlock agent needs that std does not offer: the peer's uid on a Unix
//! socket (SO_PEERCRED), a memory page kept out of swap and core dumps for the keys, a process
//! others of the same uid cannot ptrace or dump, signals read as a file descriptor, and the boot
//! clock (which, unlike std's `Instant`, keeps counting while the machine sleeps).
//!
//! This is the CLI's only `unsafe` code: each block is one libc call on memory or descriptors
//! this module owns, and says why it is sound.
#![allow(unsafe_code)]

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::ptr::NonNull;
use std::time::Duration;

use zeroize::Zeroize;

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

/// This process's real uid.
pub fn uid() -> u32 {
    // SAFETY: getuid takes no arguments and cannot fail.
    unsafe { libc::getuid() }
}

/// The uid of the process at the other end of `stream`, as the kernel recorded it at connect().
pub fn peer_uid(stream: &UnixStream) -> io::Result<u32> {
    let mut cred = libc::ucred { pid: 0, uid: u32::MAX, gid: u32::MAX };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: the fd is open for the borrow's length; `cred` and `len` are valid for writes and
    // `len` is the size of `cred`.
    check(unsafe {
        libc::getsockopt(stream.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PEERCRED, (&raw mut cred).cast(), &mut len)
    })?;
    if len as usize != std::mem::size_of::<libc::ucred>() {
        return Err(io::Error::other("short SO_PEERCRED answer"));
    }
    Ok(cred.uid)
}

/// Makes this process private: not dumpable (no core file, and other processes of the same uid
/// cannot ptrace it or read its memory through /proc), no core size, files created 0600/0700,
/// and its own session with no controlling terminal (a closed terminal's SIGHUP does not reach it).
pub fn harden_process() -> io::Result<()> {
    // SAFETY: prctl with PR_SET_DUMPABLE takes plain integers; the variadic arguments are passed
    // as the unsigned longs the kernel reads.
    let zero: libc::c_ulong = 0;
    check(unsafe { libc::prctl(libc::PR_SET_DUMPABLE, zero, zero, zero, zero) })?;
    let none = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `none` is a valid rlimit for the call's duration.
    check(unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) })?;
    // SAFETY: umask takes a mode and cannot fail.
    unsafe { libc::umask(0o077) };
    // SAFETY: setsid takes no arguments; it fails only when already a group leader, which a
    // freshly spawned agent is not (and then it still has no terminal worth leaving).
    let _ = unsafe { libc::setsid() };
    Ok(())
}

/// Whether this process may be dumped or ptraced by its own uid (false once hardened).
pub fn dumpable() -> bool {
    let zero: libc::c_ulong = 0;
    // SAFETY: PR_GET_DUMPABLE takes no pointer and returns the flag.
    unsafe { libc::prctl(libc::PR_GET_DUMPABLE, zero, zero, zero, zero) != 0 }
}

/// Time since boot, sleep included (CLOCK_BOOTTIME).
pub fn boot_time() -> Duration {
    clock(libc::CLOCK_BOOTTIME)
}

/// Time since boot, sleep excluded (CLOCK_MONOTONIC): `boot_time() - monotonic()` grows by the
/// time the machine was suspended.
pub fn monotonic() -> Duration {
    clock(libc::CLOCK_MONOTONIC)
}

fn clock(id: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is valid for writes; both clocks exist on every Linux this builds for.
    let rc = unsafe { libc::clock_gettime(id, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// One page of anonymous memory for secrets: locked in RAM (never swapped) when the system
/// allows it, left out of core dumps and of any forked child, wiped before it is returned.
pub struct LockedPage {
    ptr: NonNull<u8>,
    len: usize,
    locked: bool,
}

impl LockedPage {
    pub fn new() -> io::Result<LockedPage> {
        // SAFETY: sysconf takes a constant.
        let len = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
        // SAFETY: a fresh private anonymous mapping; no existing memory is touched.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let ptr = NonNull::new(ptr.cast::<u8>()).ok_or_else(|| io::Error::other("mmap returned null"))?;
        // SAFETY (the three calls): `ptr..ptr+len` is the mapping made above.
        // mlock fails when RLIMIT_MEMLOCK is 0; the keys are then still kept out of dumps, and
        // the agent says so in its status.
        let locked = unsafe { libc::mlock(ptr.as_ptr().cast(), len) } == 0;
        unsafe {
            libc::madvise(ptr.as_ptr().cast(), len, libc::MADV_DONTDUMP);
            libc::madvise(ptr.as_ptr().cast(), len, libc::MADV_WIPEONFORK);
        }
        Ok(LockedPage { ptr, len, locked })
    }

    /// Whether the page is locked in RAM (mlock succeeded).
    pub fn locked(&self) -> bool {
        self.locked
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is `len` bytes, readable, zero-filled at first, and owned by self.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`, and `&mut self` makes this the only reference.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for LockedPage {
    fn drop(&mut self) {
        self.bytes_mut().zeroize();
        // SAFETY: the mapping made in `new`, not used after this.
        unsafe {
            if self.locked {
                libc::munlock(self.ptr.as_ptr().cast(), self.len);
            }
            libc::munmap(self.ptr.as_ptr().cast(), self.len);
        }
    }
}

/// SIGTERM, SIGINT and SIGHUP, blocked for normal delivery and read from a descriptor instead,
/// so the agent's one loop sees them between requests and wipes the keys before it exits.
pub struct Signals(OwnedFd);

impl Signals {
    pub fn catch() -> io::Result<Signals> {
        // SAFETY: `set` is a local sigset_t initialised by sigemptyset before any other use; the
        // agent is single-threaded, so sigprocmask sets the mask of the only thread.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for s in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
                libc::sigaddset(&mut set, s);
            }
            check(libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()))?;
            let fd = check(libc::signalfd(-1, &set, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK))?;
            Ok(Signals(OwnedFd::from_raw_fd(fd)))
        }
    }

    /// A signal that arrived, if any.
    pub fn take(&self) -> Option<i32> {
        // SAFETY: signalfd_siginfo is plain data; zeroed is a valid value.
        let mut info: libc::signalfd_siginfo = unsafe { std::mem::zeroed() };
        let size = std::mem::size_of::<libc::signalfd_siginfo>();
        // SAFETY: reads at most `size` bytes into `info`, which is that large.
        let n = unsafe { libc::read(self.0.as_raw_fd(), (&raw mut info).cast(), size) };
        (n == size as isize).then_some(info.ssi_signo as i32)
    }
}

impl AsRawFd for Signals {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

/// Waits until one of `fds` is readable or `timeout` passes; returns which are readable. A
/// signal interrupting the wait is no error: it is read from [`Signals`].
pub fn wait_readable(fds: &[RawFd], timeout: Duration) -> io::Result<Vec<bool>> {
    let mut polls: Vec<libc::pollfd> =
        fds.iter().map(|&fd| libc::pollfd { fd, events: libc::POLLIN, revents: 0 }).collect();
    let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    // SAFETY: `polls` holds `polls.len()` valid entries for the call's duration.
    let rc = unsafe { libc::poll(polls.as_mut_ptr(), polls.len() as libc::nfds_t, ms) };
    if rc == -1 {
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    Ok(polls.iter().map(|p| p.revents != 0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peer_of_a_socket_pair_is_this_uid() {
        let (a, _b) = UnixStream::pair().unwrap();
        assert_eq!(peer_uid(&a).unwrap(), uid());
    }

    #[test]
    fn a_locked_page_starts_zeroed_and_is_writable() {
        let mut page = LockedPage::new().unwrap();
        assert!(page.bytes().len() >= 4096);
        assert!(page.bytes().iter().all(|b| *b == 0));
        page.bytes_mut()[..4].copy_from_slice(b"key!");
        assert_eq!(&page.bytes()[..4], b"key!");
    }

    #[test]
    fn the_boot_clock_never_runs_behind_the_monotonic_one() {
        assert!(boot_time() + Duration::from_millis(1) >= monotonic());
    }
}
