//! Output that outlives its reader. When the reader of standard output
//! goes away (`corpuslint check --fix corpus/ | head -1`, `q` in `less`),
//! corpuslint stops printing but not working: fixes are still applied to
//! every file, and the exit code still tells the findings, as ripgrep
//! does it: quiet, but not a lie.

use std::io::{self, Write};
use termcolor::{ColorSpec, WriteColor};

/// A stream that swallows everything written after its reader closed
/// the pipe, and remembers that it did.
pub struct PipeGuard<W> {
    inner: W,
    closed: bool,
}

impl<W> PipeGuard<W> {
    pub fn new(inner: W) -> Self {
        PipeGuard {
            inner,
            closed: false,
        }
    }

    /// Whether the reader went away: nothing written since reached it.
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn guard<T>(&mut self, result: io::Result<T>, quiet: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(quiet)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for PipeGuard<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.guard(result, buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.write_all(buf);
        self.guard(result, ())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.guard(result, ())
    }
}

impl<W: WriteColor> WriteColor for PipeGuard<W> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.set_color(spec);
        self.guard(result, ())
    }

    fn reset(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.reset();
        self.guard(result, ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Closing(usize);

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            self.0 -= 1;
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_swallowed_and_remembered() {
        let mut out = PipeGuard::new(Closing(1));
        out.write_all(b"first").unwrap();
        assert!(!out.closed());
        out.write_all(b"second").unwrap();
        assert!(out.closed());
        out.write_all(b"third").unwrap();
        out.flush().unwrap();
    }

    #[test]
    fn other_errors_still_fail() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        assert!(PipeGuard::new(Full).write_all(b"x").is_err());
    }
}
