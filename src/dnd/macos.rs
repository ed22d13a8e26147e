//! macOS: no public API sets a Focus, but a Shortcut can. The user creates two Shortcuts, "Baton
//! Focus On" (Set Focus: Do Not Disturb, On) and "Baton Focus Off" (turn it off), and Baton runs them
//! with `shortcuts run`. Whether Do Not Disturb is on cannot be read, so Baton takes it as off and
//! turns it off at the end of focus.

use std::process::Command;

use super::{BackendKind, DndError, DoNotDisturb, Pending, Token};

/// The two Shortcuts.
#[derive(Debug)]
pub struct Shortcuts;

fn run(name: &str) -> Result<(), DndError> {
    let failed = |message: String| DndError::Failed {
        backend: BackendKind::MacShortcuts.name().into(),
        message,
    };
    let out = Command::new("shortcuts")
        .args(["run", name])
        .output()
        .map_err(|e| failed(format!("cannot run `shortcuts`: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failed(format!(
            "the Shortcut \"{name}\" failed ({}); create it in the Shortcuts app: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

impl DoNotDisturb for Shortcuts {
    fn kind(&self) -> BackendKind {
        BackendKind::MacShortcuts
    }

    fn is_on(&self) -> Pending<'_, bool> {
        Box::pin(async { Ok(false) })
    }

    fn turn_on(&self) -> Pending<'_, Token> {
        Box::pin(async {
            run("Baton Focus On")?;
            Ok(Token::default())
        })
    }

    fn restore(&self, _: Token) -> Pending<'_, ()> {
        Box::pin(async { run("Baton Focus Off") })
    }
}
