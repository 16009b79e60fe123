//! Watches: a traveller's saved query whose price is followed, the price
//! points observed for it, and the notifications a drop produces.

mod notify;
mod watch;

pub use notify::{
    DROP_PERCENT, Notification, NotificationCursor, NotificationPage, Reason, dates, decide, mail,
    message,
};
pub use watch::{
    MAX_ACTIVE_WATCHES, MAX_WINDOW_DAYS, NewWatch, PricePoint, RawWatch, Watch, WatchChange,
    WatchStatus, shifted, stay, watch_language_code,
};
