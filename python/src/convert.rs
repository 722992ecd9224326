//! Values between Rust and Python in the JSON data model, both ways.
//!
//! - [`to_python`] turns any `Serialize` value (an article, an error record) into the Python
//!   value that `json.loads` gives for its `serde_json` text: dicts, lists, `str`, `int`,
//!   `float`, `bool`, `None`. Same keys, same optional fields left out, same shapes, because
//!   serde drives it from the very `#[derive(Serialize)]` the CLI writes JSON with.
//! - [`json_value`] turns a Python value into a `serde_json::Value` (the pass-through fields
//!   of `clean_many`'s dict records).
//!
//! Hand-written rather than `pythonize` for one reason: an article is mostly short strings
//! (its `words`, the same few thousand words page after page), and creating a Python `str`
//! is most of the cost of handing an article to Python. [`Strings`] keeps the short strings
//! already created (per `Cleaner`, bounded) and hands out new references to them instead
//! (`str` is immutable, so sharing is invisible except to `is`). See `docs/python.md`, Speed,
//! for the measurements. The equality with `json.loads` of the CLI's output is pinned by the
//! pytest suite.
//!
//! Contract: never panics; a failure to allocate a Python object is returned as its `PyErr`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use pyo3::IntoPyObjectExt;
use rustc_hash::FxHashMap;
use serde::ser::{self, Serialize};
use serde_json::{Map, Number, Value};
use std::sync::Mutex;

/// Strings up to this many bytes are shared (words, keys, kinds); longer ones (bodies,
/// titles) are rarely repeated and are created directly.
const SHARED_STRING_BYTES: usize = 24;

/// Most strings kept; when full the table starts over, so it follows the vocabulary of the
/// pages at hand and stays a few megabytes at most.
const SHARED_STRINGS: usize = 1 << 15;

/// Short Python strings already created, shared between the dicts built from one `Cleaner`.
#[derive(Default)]
pub struct Strings {
    table: FxHashMap<Box<str>, Py<PyString>>,
}

/// `value` as the Python value of its JSON form, sharing short strings through `strings`.
///
/// `strings` is only tried: if another thread holds it (possible only if the GIL was let go
/// in the middle of a conversion, e.g. by a finaliser), this conversion goes without.
pub fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
    strings: &Mutex<Strings>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut spare = Strings::default();
    let mut guard = strings.try_lock();
    let strings = match &mut guard {
        Ok(guard) => &mut **guard,
        Err(_) => &mut spare,
    };
    value.serialize(Ser { py, strings }).map_err(|e| e.0)
}

/// A Python value as JSON: `None`, `bool`, `int`, `float`, `str`, lists/tuples and dicts
/// with `str` keys map to their JSON counterparts (an `int` beyond 64 bits and a non-finite
/// `float` as serde_json would read them: a float, `null`); anything else (bytes, dates, ...)
/// becomes its `str()`, so that it is still visible in the output.
pub fn json_value(value: &Bound<'_, PyAny>) -> Value {
    if value.is_none() {
        return Value::Null;
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Value::Bool(b.is_true());
    }
    if let Ok(s) = value.cast::<PyString>() {
        if let Ok(s) = s.to_cow() {
            return Value::String(s.into_owned());
        }
    } else if value.is_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            return Value::Number(n.into());
        }
        if let Ok(n) = value.extract::<u64>() {
            return Value::Number(n.into());
        }
        if let Ok(f) = value.extract::<f64>() {
            return float_value(f);
        }
    } else if let Ok(f) = value.cast::<PyFloat>() {
        return float_value(f.value());
    } else if let Ok(list) = value.cast::<PyList>() {
        return Value::Array(list.iter().map(|v| json_value(&v)).collect());
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        return Value::Array(tuple.iter().map(|v| json_value(&v)).collect());
    } else if let Ok(dict) = value.cast::<PyDict>() {
        let mut object = Map::new();
        for (k, v) in dict.iter() {
            object.insert(str_of(&k), json_value(&v));
        }
        return Value::Object(object);
    } else if value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyByteArray>() {
        // `str(b"..")` would be the repr; the text is what a record's reader wants.
        if let Ok(bytes) = value.extract::<Vec<u8>>() {
            return Value::String(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Value::String(str_of(value))
}

fn float_value(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// `str(value)`, or the type's name if even that fails.
fn str_of(value: &Bound<'_, PyAny>) -> String {
    if let Ok(s) = value.cast::<PyString>() {
        if let Ok(s) = s.to_cow() {
            return s.into_owned();
        }
    }
    value
        .str()
        .ok()
        .and_then(|s| s.to_cow().ok().map(|s| s.into_owned()))
        .unwrap_or_else(|| format!("<{}>", value.get_type()))
}

/// A `PyErr` carried through serde.
#[derive(Debug)]
pub struct Error(PyErr);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(PyValueError::new_err(format!(
            "zhclean: cannot convert output: {msg}"
        )))
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error(e)
    }
}

/// The serializer: one per value, sharing the conversion's string table.
struct Ser<'a, 'py> {
    py: Python<'py>,
    strings: &'a mut Strings,
}

impl<'py> Ser<'_, 'py> {
    fn reborrow(&mut self) -> Ser<'_, 'py> {
        Ser {
            py: self.py,
            strings: self.strings,
        }
    }

    fn string(&mut self, s: &str) -> Bound<'py, PyString> {
        if s.len() > SHARED_STRING_BYTES {
            return PyString::new(self.py, s);
        }
        let table = &mut self.strings.table;
        if let Some(shared) = table.get(s) {
            return shared.bind(self.py).clone();
        }
        if table.len() >= SHARED_STRINGS {
            table.clear();
        }
        let new = PyString::new(self.py, s);
        table.insert(s.into(), new.clone().unbind());
        new
    }
}

type Result<'py> = std::result::Result<Bound<'py, PyAny>, Error>;

fn object<'py, T: IntoPyObject<'py>>(py: Python<'py>, value: T) -> Result<'py> {
    value.into_bound_py_any(py).map_err(Error)
}

/// `{variant: value}`, serde_json's form of a non-unit enum variant.
fn tagged<'py>(
    py: Python<'py>,
    tag: Bound<'py, PyString>,
    value: Bound<'py, PyAny>,
) -> Result<'py> {
    let dict = PyDict::new(py);
    dict.set_item(tag, value)?;
    Ok(dict.into_any())
}

impl<'a, 'py> ser::Serializer for Ser<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Seq<'a, 'py>;
    type SerializeTupleVariant = Seq<'a, 'py>;
    type SerializeMap = Dict<'a, 'py>;
    type SerializeStruct = Dict<'a, 'py>;
    type SerializeStructVariant = Dict<'a, 'py>;

    fn serialize_bool(self, v: bool) -> Result<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_i16(self, v: i16) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_i32(self, v: i32) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_i64(self, v: i64) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_i128(self, v: i128) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_u8(self, v: u8) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_u16(self, v: u16) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_u32(self, v: u32) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_u64(self, v: u64) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_u128(self, v: u128) -> Result<'py> {
        object(self.py, v)
    }
    fn serialize_f32(self, v: f32) -> Result<'py> {
        // serde_json writes an f32 as its shortest decimal; read back, that is this f64.
        match format!("{v}").parse::<f64>() {
            Ok(f) if v.is_finite() => self.serialize_f64(f),
            _ => self.serialize_unit(),
        }
    }
    fn serialize_f64(self, v: f64) -> Result<'py> {
        if v.is_finite() {
            object(self.py, v)
        } else {
            // serde_json writes NaN and infinities as null.
            self.serialize_unit()
        }
    }
    fn serialize_char(mut self, v: char) -> Result<'py> {
        Ok(self.string(v.encode_utf8(&mut [0; 4])).into_any())
    }
    fn serialize_str(mut self, v: &str) -> Result<'py> {
        Ok(self.string(v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<'py> {
        // serde_json writes bytes as an array of numbers.
        Ok(PyList::new(self.py, v)?.into_any())
    }
    fn serialize_none(self) -> Result<'py> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<'py> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<'py> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<'py> {
        let tag = self.string(variant);
        let inner = value.serialize(self.reborrow())?;
        tagged(self.py, tag, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> std::result::Result<Seq<'a, 'py>, Error> {
        Ok(Seq {
            ser: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            tag: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> std::result::Result<Seq<'a, 'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> std::result::Result<Seq<'a, 'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Seq<'a, 'py>, Error> {
        let tag = self.string(variant);
        let mut seq = self.serialize_seq(Some(len))?;
        seq.tag = Some(tag);
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> std::result::Result<Dict<'a, 'py>, Error> {
        Ok(Dict {
            dict: PyDict::new(self.py),
            ser: self,
            key: None,
            tag: None,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> std::result::Result<Dict<'a, 'py>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Dict<'a, 'py>, Error> {
        let tag = self.string(variant);
        let mut dict = self.serialize_map(Some(len))?;
        dict.tag = Some(tag);
        Ok(dict)
    }
}

/// A list being built (sequences, tuples, tuple variants).
struct Seq<'a, 'py> {
    ser: Ser<'a, 'py>,
    items: Vec<Bound<'py, PyAny>>,
    /// The variant name of a tuple variant, which wraps the list in `{tag: list}`.
    tag: Option<Bound<'py, PyString>>,
}

impl<'py> Seq<'_, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> std::result::Result<(), Error> {
        let item = value.serialize(self.ser.reborrow())?;
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Result<'py> {
        let py = self.ser.py;
        let list = PyList::new(py, self.items)?.into_any();
        match self.tag {
            Some(tag) => tagged(py, tag, list),
            None => Ok(list),
        }
    }
}

/// The four serde sequence traits are the same for a list: push each element, then finish.
macro_rules! list_serializer {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<'py> ser::$trait for Seq<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(
                &mut self,
                value: &T,
            ) -> std::result::Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<'py> {
                self.finish()
            }
        }
    )*};
}

list_serializer!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A dict being built (maps, structs, struct variants).
struct Dict<'a, 'py> {
    ser: Ser<'a, 'py>,
    dict: Bound<'py, PyDict>,
    /// A map key waiting for its value.
    key: Option<Bound<'py, PyAny>>,
    /// The variant name of a struct variant, which wraps the dict in `{tag: dict}`.
    tag: Option<Bound<'py, PyString>>,
}

impl<'py> Dict<'_, 'py> {
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> std::result::Result<(), Error> {
        let key = self.ser.string(key);
        let value = value.serialize(self.ser.reborrow())?;
        self.dict.set_item(key, value)?;
        Ok(())
    }

    fn finish(self) -> Result<'py> {
        let dict = self.dict.into_any();
        match self.tag {
            Some(tag) => tagged(self.ser.py, tag, dict),
            None => Ok(dict),
        }
    }
}

impl<'py> ser::SerializeMap for Dict<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> std::result::Result<(), Error> {
        let key = key.serialize(self.ser.reborrow())?;
        // JSON object keys are strings: serde_json writes a number or bool key as its text.
        let key = if key.is_instance_of::<PyString>() {
            key
        } else {
            key.str()?.into_any()
        };
        self.key = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), Error> {
        let value = value.serialize(self.ser.reborrow())?;
        let key = match self.key.take() {
            Some(key) => key,
            None => return Err(ser::Error::custom("map value without a key")),
        };
        self.dict.set_item(key, value)?;
        Ok(())
    }
    fn end(self) -> Result<'py> {
        self.finish()
    }
}

/// Structs and struct variants are dicts keyed by field name.
macro_rules! struct_serializer {
    ($($trait:ident),*) => {$(
        impl<'py> ser::$trait for Dict<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> std::result::Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<'py> {
                self.finish()
            }
        }
    )*};
}

struct_serializer!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { x: f32 },
    }

    #[derive(Serialize)]
    struct Everything {
        shapes: Vec<Shape>,
        ratio: f32,
        score: f64,
        nan: f64,
        big: u64,
        neg: i64,
        none: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        pair: (bool, char),
        by_number: BTreeMap<u32, String>,
        bytes: serde_bytes_like::Bytes,
        value: serde_json::Value,
    }

    /// `serialize_bytes` without a serde_bytes dependency.
    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    /// Every serde shape converts to what `json.loads` gives for serde_json's text of it.
    #[test]
    fn every_shape_equals_json_loads_of_serde_json() {
        let value = Everything {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, "词".into()),
                Shape::Struct { x: 0.1 },
            ],
            ratio: 0.3,
            score: 0.123_456_789_012_345_67,
            nan: f64::NAN,
            big: u64::MAX,
            neg: i64::MIN,
            none: None,
            skipped: None,
            pair: (true, '中'),
            by_number: BTreeMap::from([(1, "一".into()), (20, "二十".into())]),
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
            value: serde_json::json!({"a": [1, 2.5, null, "x"], "b": {"c": false}}),
        };
        let text = serde_json::to_string(&value).unwrap();
        Python::initialize();
        Python::attach(|py| {
            let strings = Mutex::new(Strings::default());
            let json = py.import("json").unwrap();
            let expected = json.call_method1("loads", (text.as_str(),)).unwrap();
            for _ in 0..2 {
                // The second time every short string comes from the shared table.
                let actual = to_python(py, &value, &strings).unwrap();
                assert!(actual.eq(&expected).unwrap(), "{actual} != {expected}");
                let dumped = json.call_method1("dumps", (&actual,)).unwrap();
                let reference = json.call_method1("dumps", (&expected,)).unwrap();
                assert!(dumped.eq(reference).unwrap(), "key order differs: {dumped}");
            }
            assert!(!strings.lock().unwrap().table.is_empty());
        });
    }

    #[test]
    fn python_values_become_json_and_the_rest_their_str() {
        Python::initialize();
        Python::attach(|py| {
            let value = py
                .eval(
                    c"{'s': '文', 'i': -5, 'big': 2**70, 'f': 1.5, 'nan': float('nan'), \
                      'b': True, 'n': None, 'l': [1, (2, 3)], 'd': {1: 'x'}, \
                      'bytes': '新'.encode(), 'set': {1}}",
                    None,
                    None,
                )
                .unwrap();
            let expected = serde_json::json!({
                "s": "文", "i": -5, "big": 2f64.powi(70), "f": 1.5, "nan": null, "b": true,
                "n": null, "l": [1, [2, 3]], "d": {"1": "x"}, "bytes": "新", "set": "{1}"
            });
            assert_eq!(json_value(&value), expected);
        });
    }
}
