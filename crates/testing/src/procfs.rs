//! A process's line of `/proc/<pid>/stat` and the processes a parent started: how the
//! failover tests find a cluster's processes to kill, and how the bench counts their CPU.

/// The fields of `/proc/<pid>/stat` the tests and the bench read.
pub struct Stat {
    /// `R`, `S`, ... and `Z` for a zombie.
    pub state: char,
    pub ppid: u32,
    /// Clock ticks spent in user and in system mode.
    pub utime: u64,
    pub stime: u64,
    /// The same for the children it has waited for (for a postmaster: its exited backends).
    pub cutime: u64,
    pub cstime: u64,
}

/// `pid`'s stat, read after the command name (which may hold spaces and parentheses);
/// `None` once the process is gone.
pub fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = text.rsplit_once(')')?;
    // `rest` starts at field 3 (state): field n is its word n - 3.
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let number = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(Stat {
        state: fields.first()?.chars().next()?,
        ppid: u32::try_from(number(4)?).ok()?,
        utime: number(14)?,
        stime: number(15)?,
        cutime: number(16)?,
        cstime: number(17)?,
    })
}

/// The processes whose parent is `parent`, with their stats.
pub fn children(parent: u32) -> Vec<(u32, Stat)> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, stat(pid)?)))
        .filter(|(_, stat)| stat.ppid == parent)
        .collect()
}
