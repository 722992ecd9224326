//! Python bindings for zhclean: the native module `zhclean._zhclean`, re-exported by the
//! `zhclean` package (`python/zhclean/__init__.py`).
//!
//! A thin layer over the library, like the CLI: Python values in, [`zhclean::Cleaner`] in the
//! middle, and out the very JSON objects the CLI writes, as Python dicts (serde →
//! `pythonize`, so the field names and shapes cannot drift from the CLI's).
//!
//! Contract: nothing here crashes the interpreter. Bad input raises `zhclean.CleanError`
//! (`clean`) or becomes an error dict (`clean_many`); a panic inside the library (a bug) is
//! caught at this boundary and reported the same way with kind `"internal"`. The GIL is
//! released while Rust cleans, so Python threads and `clean_many`'s workers run in parallel.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyIterator, PyString, PyTuple};

use zhclean::extract::html::Format;
use zhclean::{ErrorInfo, ErrorRecord, InputMeta, Options, Script};

mod pool;

use pool::OrderedPool;

pyo3::import_exception!(zhclean, CleanError);

/// Error kind for an input the binding could not even hand to the library (wrong Python type,
/// a record without a page field, a `str` with lone surrogates).
const KIND_INVALID_INPUT: &str = "invalid_input";
/// Error kind for a panic caught at the boundary: a bug in zhclean, never the input's fault.
const KIND_INTERNAL: &str = "internal";

/// Record fields searched, in order, for the page when `clean_many` is given dicts (the same
/// defaults as the CLI's `--jsonl --field`).
const PAGE_FIELDS: [&str; 4] = ["html", "content", "text", "raw"];

/// What one clean produces: the article, or the error record written in its place.
type Outcome = Result<zhclean::Article, Box<ErrorRecord>>;

/// Cleans one input, turning a panic (a bug in the library) into an error record so that a
/// batch never dies and the interpreter never sees an unwinding Rust stack.
fn clean_one(cleaner: &zhclean::Cleaner, bytes: &[u8], meta: &InputMeta) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| cleaner.clean_record(bytes, meta))) {
        Ok(outcome) => outcome,
        Err(panic) => Err(error_record(
            meta,
            bytes.len(),
            KIND_INTERNAL,
            &panic_message(&panic),
        )),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    format!("internal error in zhclean (please report it): {what}")
}

fn error_record(meta: &InputMeta, bytes: usize, kind: &str, message: &str) -> Box<ErrorRecord> {
    // Start from the library's own error record, so that whatever it copies from `meta`
    // stays in step with the CLI; only the error itself is ours.
    let mut record = zhclean::error_record(meta, bytes, &zhclean::Error::EmptyInput);
    record.error = ErrorInfo {
        kind: kind.to_string(),
        message: message.to_string(),
    };
    Box::new(record)
}

/// A `format` argument: `"auto"`, `"html"` or `"text"` (the CLI's `--format` values).
fn parse_format(format: &str) -> Result<Format, String> {
    match format {
        "auto" => Ok(Format::Auto),
        "html" => Ok(Format::Html),
        "text" => Ok(Format::Text),
        other => Err(format!(
            "format must be \"auto\", \"html\" or \"text\", not {other:?}"
        )),
    }
}

/// The `CleanError` exception for an error record.
fn clean_error(error: &ErrorInfo) -> PyErr {
    CleanError::new_err((error.kind.clone(), error.message.clone()))
}

/// A Rust value as the Python value of its JSON form.
fn to_python<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value)
        .map_err(|e| PyRuntimeError::new_err(format!("zhclean: cannot convert output: {e}")))
}

fn outcome_to_python<'py>(py: Python<'py>, outcome: &Outcome) -> PyResult<Bound<'py, PyAny>> {
    match outcome {
        Ok(article) => to_python(py, article),
        Err(record) => to_python(py, record),
    }
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

/// One item of `clean_many`'s input, as owned data the workers can take: the page and its
/// meta, or the error record for an item that has no usable page.
fn read_item(item: &Bound<'_, PyAny>) -> Result<(Vec<u8>, InputMeta), Box<ErrorRecord>> {
    let invalid =
        |meta: &InputMeta, message: String| error_record(meta, 0, KIND_INVALID_INPUT, &message);
    if let Ok(record) = item.cast::<PyDict>() {
        let get = |key: &str| record.get_item(key).ok().flatten();
        let mut meta = InputMeta::default();
        let fields = [
            ("id", &mut meta.id),
            ("url", &mut meta.url),
            ("path", &mut meta.path),
            ("content_type", &mut meta.content_type),
        ];
        let mut bad = None;
        for (key, slot) in fields {
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
        // Like the CLI's JSONL reader: the id defaults to the URL.
        if meta.id.is_none() {
            meta.id = meta.url.clone();
        }
        if let Some(message) = bad {
            return Err(invalid(&meta, message));
        }
        let Some((field, page)) = PAGE_FIELDS
            .iter()
            .find_map(|f| get(f).filter(|v| !v.is_none()).map(|v| (*f, v)))
        else {
            let message = format!("record has none of the page fields {PAGE_FIELDS:?}");
            return Err(invalid(&meta, message));
        };
        return match page_bytes(&page) {
            Ok(Some(bytes)) => Ok((bytes.as_slice().to_vec(), meta)),
            Ok(None) => {
                let message = format!(
                    "field {field:?} must be bytes or str, not {}",
                    type_name(&page)
                );
                Err(invalid(&meta, message))
            }
            Err(e) => Err(invalid(&meta, format!("field {field:?}: {e}"))),
        };
    }
    let meta = InputMeta::default();
    match page_bytes(item) {
        Ok(Some(bytes)) => Ok((bytes.as_slice().to_vec(), meta)),
        Ok(None) => Err(invalid(
            &meta,
            format!("expected bytes, str or dict, not {}", type_name(item)),
        )),
        Err(e) => Err(invalid(&meta, e.to_string())),
    }
}

/// Cleans scraped Chinese news pages into article dicts.
///
/// Build one per process (or per Spark partition) and reuse it: building loads the
/// dictionaries. Thread-safe; picklable by its options.
#[pyclass(module = "zhclean", name = "Cleaner", frozen)]
struct PyCleaner {
    inner: Arc<zhclean::Cleaner>,
    script: String,
    user_dict: Option<PathBuf>,
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (script = "simplified", segment = true, pos = false, user_dict = None, keywords = zhclean::segment::DEFAULT_KEYWORDS, format = "auto"))]
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
        let script_value = match script {
            "simplified" => Script::Simplified,
            "keep" => Script::Keep,
            other => {
                return Err(PyValueError::new_err(format!(
                    "script must be \"simplified\" or \"keep\", not {other:?}"
                )))
            }
        };
        if pos && !segment {
            return Err(PyValueError::new_err("pos=True needs segment=True"));
        }
        let options = Options {
            script: script_value,
            segment,
            pos,
            user_dict: user_dict.clone(),
            keywords,
            format,
            min_quality: None,
        };
        let built = py.detach(|| catch_unwind(|| zhclean::Cleaner::new(options)));
        let cleaner = match built {
            Ok(Ok(cleaner)) => cleaner,
            Ok(Err(e)) => {
                return Err(clean_error(&ErrorInfo {
                    kind: e.kind().to_string(),
                    message: e.to_string(),
                }))
            }
            Err(panic) => {
                return Err(clean_error(&ErrorInfo {
                    kind: KIND_INTERNAL.to_string(),
                    message: panic_message(&panic),
                }))
            }
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
        // `InputMeta` grows fields (batch inputs add line numbers and pass-through fields).
        #[allow(clippy::needless_update)]
        let meta = InputMeta {
            id,
            path,
            url,
            content_type,
            format,
            ..InputMeta::default()
        };
        let cleaner = &self.inner;
        let outcome = py.detach(|| clean_one(cleaner, bytes.as_slice(), &meta));
        match outcome {
            Ok(article) => to_python(py, &article),
            Err(record) => Err(clean_error(&record.error)),
        }
    }

    /// Cleans many pages on ``threads`` worker threads (default: all cores), yielding one dict
    /// per input, in input order. Items are ``bytes``/``str`` pages or dicts with the page under
    /// ``html``/``content``/``text``/``raw`` and optional ``id``, ``url``, ``content_type``,
    /// ``path``, ``format``. A failed item yields ``{"id", "input", "error": {"kind", "message"}}``.
    #[pyo3(signature = (items, threads = None))]
    fn clean_many(&self, items: &Bound<'_, PyAny>, threads: Option<usize>) -> PyResult<CleanIter> {
        let threads = match threads {
            Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let source = items.try_iter()?.unbind();
        let cleaner = Arc::clone(&self.inner);
        let pool = OrderedPool::new(threads, move |(bytes, meta): (Vec<u8>, InputMeta)| {
            clean_one(&cleaner, &bytes, &meta)
        });
        Ok(CleanIter {
            source: Some(source),
            source_error: None,
            pool,
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

/// The iterator returned by `Cleaner.clean_many`: pulls items from the source iterable as
/// the workers have room, yields results in input order.
#[pyclass(module = "zhclean")]
struct CleanIter {
    /// `None` once the source is exhausted (or raised).
    source: Option<Py<PyIterator>>,
    /// An exception raised by the source iterable, re-raised after the items before it.
    source_error: Option<PyErr>,
    pool: OrderedPool<(Vec<u8>, InputMeta), Outcome>,
}

#[pymethods]
impl CleanIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.fill(py);
        let pool = &mut self.pool;
        let next = py.detach(|| pool.next()).map_err(PyRuntimeError::new_err)?;
        match next {
            Some(outcome) => outcome_to_python(py, &outcome).map(Some),
            None => match self.source_error.take() {
                Some(e) => Err(e),
                None => Ok(None),
            },
        }
    }
}

impl CleanIter {
    /// Pulls items from the source until the pool's window is full or the source ends.
    fn fill(&mut self, py: Python<'_>) {
        while self.pool.has_room() {
            let Some(source) = &self.source else { return };
            let item = source.bind(py).clone().next();
            match item {
                None => self.source = None,
                Some(Err(e)) => {
                    self.source = None;
                    self.source_error = Some(e);
                }
                Some(Ok(item)) => match read_item(&item) {
                    Ok(job) => self.pool.submit(job),
                    Err(record) => self.pool.submit_done(Err(record)),
                },
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
    m.add("SCHEMA_VERSION", zhclean::article::SCHEMA_VERSION)?;
    Ok(())
}
