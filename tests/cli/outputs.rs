//! Output targets: `-o` never replaces what the path names. Devices, FIFOs and `/dev/stdout`
//! are written directly, links are followed, an existing file keeps its mode, owner and hard
//! links, outputs on one path are refused, a folder fails at the start, and a full disk is
//! an error that names the file. Everything happens inside a temporary folder; the tests that
//! make device nodes or mount a small file system need root and are skipped without it.

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::gen::{page, s};
use crate::{bin, is_root, mkfifo, wait_or_kill, zhclean};

/// A page file in `dir`.
fn page_file(dir: &Path) -> String {
    let path = dir.join("page.txt");
    std::fs::write(&path, page(1)).unwrap();
    s(&path).to_string()
}

/// Makes a character device node `major:minor` at `path` (needs root).
fn mknod(path: &Path, major: u32, minor: u32) {
    let made = Command::new("mknod")
        .arg(path)
        .args(["c", &major.to_string(), &minor.to_string()])
        .status()
        .expect("mknod runs");
    assert!(made.success(), "mknod {}", path.display());
}

/// Files in `dir`, by name, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_to_a_device_node_writes_to_it_and_leaves_it_a_device() {
    if !is_root() {
        eprintln!("skipped: making a device node needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = page_file(dir.path());
    // Our own /dev/null (1:3), inside the temporary folder.
    let null = dir.path().join("null");
    mknod(&null, 1, 3);
    let output = zhclean(&[&input, "-o", s(&null), "--quiet"], b"");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let meta = std::fs::symlink_metadata(&null).unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "still a device: {meta:?}"
    );
    assert_eq!(meta.rdev(), std::fs::metadata("/dev/null").unwrap().rdev());
    assert_eq!(names(dir.path()), ["null", "page.txt"], "no partial file");
}

#[test]
fn a_full_device_is_an_error_that_names_it() {
    if !is_root() {
        eprintln!("skipped: making a device node needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = page_file(dir.path());
    // Our own /dev/full (1:7): every write fails with ENOSPC.
    let full = dir.path().join("full");
    mknod(&full, 1, 7);
    let output = zhclean(&[&input, "-o", s(&full), "--quiet"], b"");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot write {}: No space left on device",
            full.display()
        )),
        "{stderr}"
    );
    assert!(std::fs::metadata(&full)
        .unwrap()
        .file_type()
        .is_char_device());
}

/// A small tmpfs mounted on a folder of the temporary folder, unmounted on drop.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir(at).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .ok()?;
        mounted.success().then(|| SmallDisk(at.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_an_error_that_names_the_file_and_keeps_what_was_written() {
    if !is_root() {
        eprintln!("skipped: mounting a small file system needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(&dir.path().join("disk"), "64k") else {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    };
    let lines: String = (0..400)
        .map(|n| format!("{{\"id\":{n},\"text\":\"{}\"}}\n", page(n)))
        .collect();
    let target = disk.0.join("out.jsonl");
    let output = zhclean(
        &["--jsonl", "-", "--no-segment", "-o", s(&target), "--quiet"],
        lines.as_bytes(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let partial = disk.0.join("out.jsonl.partial");
    assert!(
        stderr.contains(&format!(
            "cannot write {}: No space left on device",
            partial.display()
        )),
        "{stderr}"
    );
    assert!(!target.exists());
    let kept = std::fs::read_to_string(&partial).unwrap();
    assert!(kept.starts_with("{\"id\":\"0\""), "{}", &kept[..100]);
    drop(disk);
}

#[test]
fn output_to_a_fifo_writes_into_the_pipe_and_leaves_it_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let input = page_file(dir.path());
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    // The reader: a process, so that it can be stopped if the FIFO is never written.
    let mut reader = Command::new("cat")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Command::new(bin())
        .args([&input, "-o", s(&fifo), "--quiet", "--no-segment"])
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let status = wait_or_kill(&mut child, 60).expect("finishes");
    let mut reader_out = reader.stdout.take().unwrap();
    let read = wait_or_kill(&mut reader, 10);
    assert_eq!(status.code(), Some(0));
    assert!(read.is_some(), "the FIFO was written and closed");
    let mut text = String::new();
    reader_out.read_to_string(&mut text).unwrap();
    let line: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
    assert_eq!(line["body"], page(1));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(names(dir.path()), ["page.txt", "pipe"]);
}

#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let input = page_file(dir.path());
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let target = dir.path().join("real").join("articles.jsonl");
    std::fs::write(&target, "old\n").unwrap();
    let link = dir.path().join("latest.jsonl");
    std::os::unix::fs::symlink("real/articles.jsonl", &link).unwrap();
    let output = zhclean(&[&input, "-o", s(&link), "--quiet", "--no-segment"], b"");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains(&page(1)), "{text}");
    assert_eq!(names(&dir.path().join("real")), ["articles.jsonl"]);
}

#[test]
fn output_to_dev_stdout_goes_to_standard_output() {
    for path in ["/dev/stdout", "/dev/fd/1", "-"] {
        let output = zhclean(&["-o", path, "--quiet", "--no-segment"], page(1).as_bytes());
        assert_eq!(output.status.code(), Some(0), "{path}: {output:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains(&page(1)), "{path}: {text:?}");
    }
}

#[test]
fn an_existing_output_keeps_its_mode_and_owner() {
    let dir = tempfile::tempdir().unwrap();
    let input = page_file(dir.path());
    let target = dir.path().join("out.jsonl");
    std::fs::write(&target, "old\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&target, Some(4321), Some(4321)).unwrap();
    }
    let before = std::fs::metadata(&target).unwrap();
    let output = zhclean(&[&input, "-o", s(&target), "--quiet", "--no-segment"], b"");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let after = std::fs::metadata(&target).unwrap();
    assert_eq!(after.mode() & 0o7777, 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    assert!(std::fs::read_to_string(&target).unwrap().contains(&page(1)));
    assert_eq!(names(dir.path()), ["out.jsonl", "page.txt"]);
}

#[test]
fn an_existing_output_with_other_names_is_overwritten_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let input = page_file(dir.path());
    let target = dir.path().join("out.jsonl");
    std::fs::write(&target, "old\n").unwrap();
    let other_name = dir.path().join("also.jsonl");
    std::fs::hard_link(&target, &other_name).unwrap();
    let before = std::fs::metadata(&target).unwrap();
    let output = zhclean(&[&input, "-o", s(&target), "--quiet", "--no-segment"], b"");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let after = std::fs::metadata(&target).unwrap();
    assert_eq!(after.ino(), before.ino(), "the same file");
    assert_eq!(after.nlink(), 2);
    let text = std::fs::read_to_string(&other_name).unwrap();
    assert!(text.contains(&page(1)), "{text}");
    assert_eq!(names(dir.path()), ["also.jsonl", "out.jsonl", "page.txt"]);
}

#[test]
fn two_outputs_on_one_path_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = page_file(dir.path());
    let d = dir.path();
    let articles = d.join("articles.jsonl");
    std::fs::write(&articles, "precious\n").unwrap();
    std::os::unix::fs::symlink("articles.jsonl", d.join("link.jsonl")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    let same = [
        vec!["-o", s(&articles), "--errors", s(&articles)],
        vec!["-o", s(&articles), "--stats", "SUB/../articles.jsonl"],
        vec!["-o", s(&articles), "--errors", "link.jsonl"],
        vec!["-o", "new.jsonl", "--stats", "new.jsonl.partial"],
    ];
    for args in same {
        let args: Vec<String> = args.iter().map(|a| a.replace("SUB", "sub")).collect();
        let mut command = Command::new(bin());
        command
            .current_dir(d)
            .arg(&input)
            .args(&args)
            .arg("--quiet");
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("name the same file"), "{args:?}: {stderr}");
        assert_eq!(std::fs::read_to_string(&articles).unwrap(), "precious\n");
        assert_eq!(
            names(d),
            ["articles.jsonl", "link.jsonl", "page.txt", "sub"],
            "{args:?}"
        );
    }
}

#[test]
fn an_output_that_is_a_folder_fails_before_reading_anything() {
    let dir = tempfile::tempdir().unwrap();
    // stdin stays open: a run that read before checking its output would wait forever.
    let mut child = Command::new(bin())
        .args(["--jsonl", "-", "-o", s(dir.path()), "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let status = wait_or_kill(&mut child, 30).expect("fails at once, not after reading stdin");
    drop(stdin);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is a folder"), "{stderr}");
    assert!(names(dir.path()).is_empty());
}
