//! Python bindings for zhclean: the native module `zhclean._zhclean`, re-exported by the
//! `zhclean` package (`python/zhclean/__init__.py`).
//!
//! A thin layer over the library, like the CLI: Python values in, [`zhclean::Cleaner`] in the
//! middle, and out the very JSON objects the CLI writes, as Python dicts (built by serde from
//! the same types, see [`convert`], so the field names and shapes cannot drift from the
//! CLI's). `clean_many` runs on the library's batch pool (`zhclean::internals::batch::pool`)
//! and reads dict records the way the CLI reads JSONL lines
//! (`zhclean::internals::batch::jsonl::record_meta`).
//!
//! Contract: nothing here crashes the interpreter. Bad input raises `zhclean.CleanError`
//! (`clean`) or becomes an error dict (`clean_many`); a panic inside the library (a bug) is
//! caught at this boundary and reported the same way with kind `"panic"`, as the CLI does. The GIL is
//! released while Rust cleans, so Python threads and `clean_many`'s workers run in parallel.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyIterator, PyString, PyTuple};

use zhclean::internals::batch::pool::{Pool, PoolOptions};
use zhclean::internals::batch::record_fields::{record_meta, JsonlFields, DEFAULT_PAGE_FIELDS};
use zhclean::internals::batch::{clean_item, panic_message, panic_record, Item, PANIC};
use zhclean::{ErrorRecord, Format, InputMeta, Options, Outcome, Passthrough, Script};

mod convert;

use convert::{json_value, to_python, Strings};

// The same allocator as the `zhclean` binary, so that cleaning costs what it costs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pyo3::import_exception!(zhclean, CleanError);

/// Error kind for an input the binding could not even hand to the library (wrong Python type,
/// a record without a page field, a `str` with lone surrogates).
const KIND_INVALID_INPUT: &str = "invalid_input";
/// Cleans one input, turning a panic (a bug in the library) into an error record so that the
/// interpreter never sees an unwinding Rust stack.
fn clean_one(
    cleaner: &zhclean::Cleaner,
    bytes: &[u8],
    meta: &InputMeta,
) -> Result<zhclean::Article, Box<ErrorRecord>> {
    match catch_unwind(AssertUnwindSafe(|| cleaner.clean_record(bytes, meta))) {
        Ok(outcome) => outcome,
        Err(panic) => Err(Box::new(panic_record(meta, bytes.len(), panic.as_ref()))),
    }
}

/// A `format` argument: `"auto"`, `"html"` or `"text"` (the CLI's `--format` values, parsed by
/// the library's `FromStr`).
fn parse_format(format: &str) -> Result<Format, String> {
    format.parse().map_err(option_message)
}

/// The message of an invalid option value, without the library's `invalid option: ` prefix
/// (Python raises it as a `ValueError`, or writes it in an `invalid_input` record).
fn option_message(error: zhclean::Error) -> String {
    match error {
        zhclean::Error::InvalidOption(message) => message,
        other => other.to_string(),
    }
}

/// The `CleanError` exception for an error `kind` and `message`.
fn clean_error(kind: &str, message: String) -> PyErr {
    CleanError::new_err((kind.to_string(), message))
}

/// The page bytes of a `bytes`, `bytearray` or `str` object; `None` for any other type.
fn page_bytes(data: &Bound<'_, PyAny>) -> PyResult<Option<PageBytes>> {
    if let Ok(s) = data.cast::<PyString>() {
        let text = s.to_cow().map_err(|e| {
            CleanError::new_err((KIND_INVALID_INPUT, format!("str is not valid Unicode: {e}")))
        })?;
        return Ok(Some(PageBytes::Owned(text.into_owned().into_bytes())));
    }
    if data.is_instance_of::<PyBytes>() || data.is_instance_of::<PyByteArray>() {
        return Ok(Some(PageBytes::Python(data.extract::<PyBackedBytes>()?)));
    }
    Ok(None)
}

/// Page bytes either borrowed from a Python `bytes` (no copy) or owned.
enum PageBytes {
    Python(PyBackedBytes),
    Owned(Vec<u8>),
}

impl PageBytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            PageBytes::Python(b) => b,
            PageBytes::Owned(v) => v,
        }
    }

    fn into_vec(self) -> Vec<u8> {
        match self {
            PageBytes::Python(b) => b.to_vec(),
            PageBytes::Owned(v) => v,
        }
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string())
}

fn optional_string(value: Option<Bound<'_, PyAny>>, field: &str) -> Result<Option<String>, String> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => {
            if let Ok(s) = v.extract::<String>() {
                Ok(Some(s))
            } else if let Ok(n) = v.extract::<i64>() {
                Ok(Some(n.to_string()))
            } else {
                Err(format!(
                    "field {field:?} must be a str, not {}",
                    type_name(&v)
                ))
            }
        }
    }
}

/// An item that cannot be handed to the library: it becomes an `invalid_input` error record.
fn invalid(meta: InputMeta, message: String) -> Item {
    Item::failed(meta, 0, KIND_INVALID_INPUT, message)
}

/// One item of `clean_many`'s input as an [`Item`] the workers can take: a page with its meta,
/// or a failure (which the pool turns into an error record, keeping the item's place).
fn read_item(item: &Bound<'_, PyAny>) -> Item {
    if let Ok(record) = item.cast::<PyDict>() {
        return read_record(record);
    }
    let meta = InputMeta::default();
    match page_bytes(item) {
        Ok(Some(bytes)) => Item::page(bytes.into_vec(), meta),
        Ok(None) => invalid(
            meta,
            format!("expected bytes, str or dict, not {}", type_name(item)),
        ),
        Err(e) => invalid(meta, e.to_string()),
    }
}

/// A dict record, read like a line of the CLI's `--jsonl` input: the page is the first of
/// `html`, `content`, `text`, `raw` holding bytes or str; the id, URL and the fields passed
/// through under `"meta"` (all but the page) follow [`record_meta`]. `path`, `content_type`
/// and `format` are read as well, as `clean`'s keyword arguments.
fn read_record(record: &Bound<'_, PyDict>) -> Item {
    let get = |key: &str| record.get_item(key).ok().flatten().filter(|v| !v.is_none());
    // The page field and its bytes, or why there is no usable page.
    let mut page: Option<Result<(&str, PageBytes), String>> = None;
    let mut wrong_type = None;
    for field in DEFAULT_PAGE_FIELDS {
        let Some(value) = get(field) else { continue };
        match page_bytes(&value) {
            Ok(Some(bytes)) => {
                page = Some(Ok((field, bytes)));
                break;
            }
            Ok(None) => {
                wrong_type = wrong_type.or(Some(format!(
                    "field {field:?} must be bytes or str, not {}",
                    type_name(&value)
                )))
            }
            Err(e) => {
                page = Some(Err(format!("field {field:?}: {e}")));
                break;
            }
        }
    }
    let page = page.unwrap_or_else(|| {
        Err(wrong_type.unwrap_or_else(|| {
            format!("record has none of the page fields {DEFAULT_PAGE_FIELDS:?}")
        }))
    });
    let page_field = page.as_ref().ok().map(|(field, _)| *field);

    let mut fields = Passthrough::new();
    for (key, value) in record.iter() {
        let key = match key.cast::<PyString>() {
            Ok(key) => key.to_cow().map(|k| k.into_owned()),
            Err(_) => key.str().and_then(|k| k.to_cow().map(|k| k.into_owned())),
        };
        let key = key.unwrap_or_else(|_| format!("<{}>", type_name(&value)));
        if Some(key.as_str()) != page_field {
            fields.insert(key, json_value(&value));
        }
    }
    let mut meta = InputMeta::default();
    record_meta(fields, &JsonlFields::default(), &mut meta);

    let mut bad = None;
    for (key, slot) in [
        ("path", &mut meta.path),
        ("content_type", &mut meta.content_type),
    ] {
        match optional_string(get(key), key) {
            Ok(v) => *slot = v,
            Err(message) => bad = bad.or(Some(message)),
        }
    }
    match optional_string(get("format"), "format").map(|f| f.map(|f| parse_format(&f))) {
        Ok(Some(Ok(format))) => meta.format = Some(format),
        Ok(Some(Err(message))) | Err(message) => bad = bad.or(Some(message)),
        Ok(None) => {}
    }
    if let Some(message) = bad {
        return invalid(meta, message);
    }
    match page {
        Ok((_, bytes)) => Item::page(bytes.into_vec(), meta),
        Err(message) => invalid(meta, message),
    }
}

/// Cleans scraped Chinese news pages into article dicts.
///
/// Build one per process (or per Spark partition) and reuse it: building loads the
/// dictionaries. Thread-safe; picklable by its options.
#[pyclass(module = "zhclean", name = "Cleaner", frozen)]
struct PyCleaner {
    inner: Arc<zhclean::Cleaner>,
    /// Python strings shared between the dicts this cleaner returns (see [`convert`]).
    strings: Arc<Mutex<Strings>>,
    script: String,
    user_dict: Option<PathBuf>,
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (script = "simplified", segment = true, pos = false, user_dict = None, keywords = zhclean::DEFAULT_KEYWORDS, format = "auto"))]
    fn new(
        py: Python<'_>,
        script: &str,
        segment: bool,
        pos: bool,
        user_dict: Option<PathBuf>,
        keywords: usize,
        format: &str,
    ) -> PyResult<Self> {
        let format = parse_format(format).map_err(PyValueError::new_err)?;
        let script_value: Script = script
            .parse()
            .map_err(|e| PyValueError::new_err(option_message(e)))?;
        if pos && !segment {
            return Err(PyValueError::new_err("pos=True needs segment=True"));
        }
        let options = Options::default()
            .script(script_value)
            .segment(segment)
            .pos(pos)
            .user_dict(user_dict.clone())
            .keywords(keywords)
            .format(format);
        let built = py.detach(|| catch_unwind(|| zhclean::Cleaner::new(options)));
        let cleaner = match built {
            Ok(Ok(cleaner)) => cleaner,
            Ok(Err(e)) => return Err(clean_error(e.kind(), e.to_string())),
            Err(panic) => return Err(clean_error(PANIC, panic_message(panic.as_ref()))),
        };
        for warning in cleaner.warnings() {
            let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
            PyErr::warn(
                py,
                &category,
                &std::ffi::CString::new(format!("zhclean: {warning}"))?,
                1,
            )?;
        }
        Ok(PyCleaner {
            inner: Arc::new(cleaner),
            strings: Arc::default(),
            script: script.to_string(),
            user_dict,
        })
    }

    /// Target script: ``"simplified"`` or ``"keep"``.
    #[getter]
    fn script(&self) -> &str {
        &self.script
    }

    /// Whether bodies are segmented into words (and keywords computed).
    #[getter]
    fn segment(&self) -> bool {
        self.inner.options().segment
    }

    /// Whether part-of-speech tags are added.
    #[getter]
    fn pos(&self) -> bool {
        self.inner.options().pos
    }

    /// The user dictionary path, or ``None``.
    #[getter]
    fn user_dict(&self) -> Option<PathBuf> {
        self.user_dict.clone()
    }

    /// How many keywords are returned.
    #[getter]
    fn keywords(&self) -> usize {
        self.inner.options().keywords
    }

    /// Input format: ``"auto"`` (sniff each input), ``"html"`` or ``"text"``.
    #[getter]
    fn format(&self) -> &'static str {
        self.inner.options().format.as_str()
    }

    /// Cleans one page and returns the article dict (the CLI's JSON object). ``format``
    /// overrides the cleaner's for this page (e.g. ``"html"`` for a ``text/html`` response).
    ///
    /// Raises ``CleanError`` (with ``.kind`` and ``.message``) for input that cannot be cleaned.
    #[pyo3(signature = (data, *, id = None, url = None, content_type = None, path = None, format = None))]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of a Python method
    fn clean<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        id: Option<String>,
        url: Option<String>,
        content_type: Option<String>,
        path: Option<String>,
        format: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let format = format
            .map(parse_format)
            .transpose()
            .map_err(PyValueError::new_err)?;
        let Some(bytes) = page_bytes(data)? else {
            return Err(PyTypeError::new_err(format!(
                "data must be bytes, bytearray or str, not {}",
                type_name(data)
            )));
        };
        let mut meta = InputMeta::default();
        (meta.id, meta.path, meta.url, meta.content_type, meta.format) =
            (id, path, url, content_type, format);
        let cleaner = &self.inner;
        let outcome = py.detach(|| clean_one(cleaner, bytes.as_slice(), &meta));
        match outcome {
            Ok(article) => to_python(py, &article, &self.strings),
            Err(record) => Err(clean_error(&record.error.kind, record.error.message)),
        }
    }

    /// Cleans many pages on ``threads`` worker threads (default: all cores), yielding one dict
    /// per input, in input order. Items are ``bytes``/``str`` pages or dicts with the page under
    /// ``html``/``content``/``text``/``raw`` and optional ``id``, ``url``, ``content_type``,
    /// ``path``, ``format``; a dict's fields other than the page come back under ``"meta"``, as
    /// the CLI's ``--jsonl`` does. A failed item yields
    /// ``{"id", "input", "error": {"kind", "message"}}`` (plus ``"meta"``).
    #[pyo3(signature = (items, threads = None))]
    fn clean_many(&self, items: &Bound<'_, PyAny>, threads: Option<usize>) -> PyResult<CleanIter> {
        if threads == Some(0) {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        let source = items.try_iter()?.unbind();
        let cleaner = Arc::clone(&self.inner);
        // `PoolOptions::new(0)`: all cores. A few items per thread in flight.
        let options = PoolOptions::new(threads.unwrap_or(0));
        let pool = Pool::new(options, move |item: Item| clean_item(&cleaner, item, None));
        Ok(CleanIter {
            strings: Arc::clone(&self.strings),
            source: Some(source),
            source_error: None,
            pool,
            held: None,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let args = (
            this.script.clone(),
            this.segment(),
            this.pos(),
            this.user_dict.clone(),
            this.keywords(),
            this.format(),
        );
        (slf.get_type(), args).into_pyobject(py)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let py = slf.py();
        let this = slf.get();
        let py_repr = |value: Bound<'_, PyAny>| -> PyResult<String> {
            Ok(value.repr()?.to_cow()?.into_owned())
        };
        Ok(format!(
            "Cleaner(script={}, segment={}, pos={}, user_dict={}, keywords={}, format={})",
            py_repr(this.script.clone().into_pyobject(py)?.into_any())?,
            py_repr(this.segment().into_pyobject(py)?.to_owned().into_any())?,
            py_repr(this.pos().into_pyobject(py)?.to_owned().into_any())?,
            py_repr(this.user_dict().into_pyobject(py)?.into_any())?,
            this.keywords(),
            py_repr(this.format().into_pyobject(py)?.into_any())?
        ))
    }
}

/// The iterator returned by `Cleaner.clean_many`: pulls items from the source iterable (with
/// the GIL, on the caller's thread) as the pool has room, waits for the next result in input
/// order with the GIL released, and converts it (with the GIL) to a dict.
#[pyclass(module = "zhclean")]
struct CleanIter {
    /// `None` once the source is exhausted (or raised).
    source: Option<Py<PyIterator>>,
    /// An exception raised by the source iterable, re-raised after the items before it.
    source_error: Option<PyErr>,
    /// The library's bounded, ordered pool: one outcome per item pushed, in push order.
    pool: Pool<Item, Outcome>,
    /// An item read but not pushed yet: the pages in flight left no room for its bytes.
    held: Option<Item>,
    /// The cleaner's shared Python strings.
    strings: Arc<Mutex<Strings>>,
}

#[pymethods]
impl CleanIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.fill(py);
        let pool = &mut self.pool;
        match py.detach(|| pool.pop()) {
            Some(result) => {
                let outcome = result.unwrap_or_else(|panicked| panicked.into_outcome());
                to_python(py, &outcome, &self.strings).map(Some)
            }
            None => match self.source_error.take() {
                Some(e) => Err(e),
                None => Ok(None),
            },
        }
    }
}

impl CleanIter {
    /// Pulls items from the source until the pool is full, the bytes in flight reach the
    /// pool's bound (8 MiB, or one larger page), or the source ends.
    fn fill(&mut self, py: Python<'_>) {
        loop {
            let item = match self.held.take() {
                Some(item) => item,
                None => {
                    let Some(source) = &self.source else { return };
                    if self.pool.is_full() {
                        return;
                    }
                    match source.bind(py).clone().next() {
                        None => {
                            self.source = None;
                            return;
                        }
                        Some(Err(e)) => {
                            self.source = None;
                            self.source_error = Some(e);
                            return;
                        }
                        Some(Ok(item)) => read_item(&item),
                    }
                }
            };
            // An empty pool always has room, so a held item never waits on nothing.
            let weight = item.weight();
            if let Err(item) = self.pool.try_push_weighted(item, weight) {
                self.held = Some(item);
                return;
            }
        }
    }
}

/// The native half of the `zhclean` package.
#[pymodule]
fn _zhclean(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCleaner>()?;
    m.add_class::<CleanIter>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SCHEMA_VERSION", zhclean::SCHEMA_VERSION)?;
    Ok(())
}
