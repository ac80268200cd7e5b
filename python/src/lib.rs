//! `corpuslint._core`: the corpuslint library for Python, in-process.
//!
//! One class, [`Linter`], set up like the command line and compiled once
//! per process. Every call releases the GIL; batch calls run on a thread
//! pool the linter owns, made anew in a forked child (a pool's threads do
//! not survive `fork`). Findings are dicts of the JSON output's schema,
//! with `start` and `end` in code points. Arrow calls take a pyarrow (or
//! any Arrow PyCapsule) string array without copying it.

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, LargeStringBuilder, StringBuilder,
};
use arrow_array::{Array, ArrayRef, LargeStringArray, RecordBatch, StringArray, StringViewArray};
use arrow_schema::{DataType, Field, Schema};
use corpuslint::session::{self, Options, PolicyOverrides, Session, SetupError};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pyo3_arrow::{PyArray, PyRecordBatch};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

create_exception!(
    _core,
    RuleError,
    PyException,
    "A rule file or configuration that does not load: the message names file:line:col."
);

/// A JSON value as a Python object.
fn to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    Ok(match v {
        serde_json::Value::Null => py.None().into_bound(py),
        serde_json::Value::Bool(b) => b.into_bound_py_any(py)?,
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py)?,
            (None, Some(u)) => u.into_bound_py_any(py)?,
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?,
        },
        serde_json::Value::String(s) => s.into_bound_py_any(py)?,
        serde_json::Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        serde_json::Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

fn setup_error(e: SetupError) -> PyErr {
    match e {
        SetupError::Rules(_) => RuleError::new_err(e.to_string()),
        SetupError::Argument(m) => PyValueError::new_err(m),
    }
}

/// Sessions compiled in this process, by their options: an engine
/// unpickles the linter of a step for every task, and compiling the rules
/// each time would cost more than many tasks' work. Only unpickling reuses
/// them; `Linter(...)` always reads the rule files again, so that an edited
/// rule takes effect in a notebook.
static SESSIONS: Mutex<Vec<(String, Arc<Session>)>> = Mutex::new(Vec::new());

thread_local! {
    /// Set while `_rebuild` unpickles a linter.
    static REUSE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn cached_session(opts: &Options, reuse: bool) -> Result<Arc<Session>, SetupError> {
    let key = format!("{opts:?}");
    let mut sessions = SESSIONS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, s)) = sessions.iter().find(|(k, _)| reuse && *k == key) {
        return Ok(s.clone());
    }
    drop(sessions);
    let session = Arc::new(Session::new(opts)?);
    sessions = SESSIONS.lock().unwrap_or_else(|e| e.into_inner());
    sessions.retain(|(k, _)| *k != key);
    sessions.push((key, session.clone()));
    Ok(session)
}

/// What a Linter was made with: enough to make it again (pickling).
#[derive(Clone, Default)]
struct Args {
    config: Option<PathBuf>,
    rules: Vec<PathBuf>,
    select: Vec<String>,
    ignore: Vec<String>,
    lang: Option<String>,
    unsafe_fixes: bool,
    policy: PolicyOverrides,
}

/// A thread pool for batch calls, made in the process that uses it.
struct Pool {
    pid: u32,
    pool: Arc<rayon::ThreadPool>,
}

/// A linter: rules compiled once, settings of the command line.
///
/// `Linter(config=None, rules=None, select=None, ignore=None, lang=None,
/// unsafe_fixes=False, *, threads=None, drop_on=None, drop_rules=None,
/// max_boilerplate_share=None, min_words=None, max_findings_per_kb=None,
/// min_score=None)`
#[pyclass(module = "corpuslint._core", frozen)]
struct Linter {
    session: Arc<Session>,
    args: Args,
    threads: Option<usize>,
    pool: Mutex<Option<Pool>>,
}

impl Linter {
    /// The pool of this process: made on first use, and again in a child
    /// process after `fork` (the parent's threads are not there).
    fn pool(&self) -> PyResult<Arc<rayon::ThreadPool>> {
        let pid = std::process::id();
        let mut guard = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = guard.as_ref()
            && p.pid == pid
        {
            return Ok(p.pool.clone());
        }
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = self.threads {
            builder = builder.num_threads(n.max(1));
        }
        let pool = Arc::new(
            builder
                .build()
                .map_err(|e| PyValueError::new_err(format!("cannot start threads: {e}")))?,
        );
        // A pool inherited over fork has no threads: forget it, never join it.
        if let Some(old) = guard.take() {
            std::mem::forget(old);
        }
        *guard = Some(Pool {
            pid,
            pool: pool.clone(),
        });
        Ok(pool)
    }

    /// Runs `f` over `items` on the pool, without the GIL.
    fn batch<T: Sync, R: Send>(
        &self,
        py: Python<'_>,
        items: &[T],
        f: impl Fn(&Session, &T) -> R + Sync + Send,
    ) -> PyResult<Vec<R>> {
        let pool = self.pool()?;
        let session = self.session.clone();
        unwind(py, || {
            pool.install(|| items.par_iter().map(|t| f(&session, t)).collect())
        })
    }
}

/// Runs `f` without the GIL; a panic in it (a bug in corpuslint) becomes a
/// `RuntimeError` naming it, never an abort or pyo3's `PanicException`,
/// which `except Exception` does not catch.
fn unwind<R: Send>(py: Python<'_>, f: impl FnOnce() -> R + Send) -> PyResult<R> {
    py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)))
        .map_err(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_string());
            PyRuntimeError::new_err(format!(
                "corpuslint failed on this input ({what}); please report it with the text"
            ))
        })
}

fn findings_py<'py>(
    py: Python<'py>,
    findings: &[serde_json::Value],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for f in findings {
        list.append(to_py(py, f)?)?;
    }
    Ok(list)
}

fn check_json(session: &Session, text: &str) -> Vec<serde_json::Value> {
    session::json_findings(text, &session.check(text))
}

/// The decision about a text as a dict: `kept`, `text` (fixed), `reasons`,
/// `score` and the rest of the verdict.
fn decision_json(session: &Session, text: &str) -> serde_json::Value {
    let (verdict, fixed) = session.filter(text);
    let mut v = serde_json::to_value(&verdict).expect("a verdict serialises");
    if let Some(map) = v.as_object_mut() {
        map.insert("text".into(), fixed.into());
    }
    v
}

/// The strings of an Arrow string array (nulls as `None`), borrowed from
/// the array's buffers: nothing is copied.
fn strings(array: &ArrayRef) -> PyResult<Vec<Option<&str>>> {
    fn collect<'a>(it: impl Iterator<Item = Option<&'a str>>) -> Vec<Option<&'a str>> {
        it.collect()
    }
    match array.data_type() {
        DataType::Utf8 => Ok(collect(
            array
                .as_any()
                .downcast_ref::<StringArray>()
                .expect("utf8")
                .iter(),
        )),
        DataType::LargeUtf8 => Ok(collect(
            array
                .as_any()
                .downcast_ref::<LargeStringArray>()
                .expect("large utf8")
                .iter(),
        )),
        DataType::Utf8View => Ok(collect(
            array
                .as_any()
                .downcast_ref::<StringViewArray>()
                .expect("utf8 view")
                .iter(),
        )),
        other => Err(PyTypeError::new_err(format!(
            "expected an Arrow string array (string, large_string or string_view), got {other}"
        ))),
    }
}

/// A string array of `values`, of the input's width (large or not).
fn string_array(values: &[Option<String>], large: bool) -> ArrayRef {
    if large {
        let mut b = LargeStringBuilder::new();
        for v in values {
            b.append_option(v.as_deref());
        }
        Arc::new(b.finish())
    } else {
        let mut b = StringBuilder::new();
        for v in values {
            b.append_option(v.as_deref());
        }
        Arc::new(b.finish())
    }
}

#[pymethods]
impl Linter {
    #[new]
    #[pyo3(signature = (
        config=None, rules=None, select=None, ignore=None, lang=None, unsafe_fixes=false,
        *, threads=None, drop_on=None, drop_rules=None, max_boilerplate_share=None,
        min_words=None, max_findings_per_kb=None, min_score=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        config: Option<PathBuf>,
        rules: Option<Vec<PathBuf>>,
        select: Option<Vec<String>>,
        ignore: Option<Vec<String>>,
        lang: Option<String>,
        unsafe_fixes: bool,
        threads: Option<usize>,
        drop_on: Option<String>,
        drop_rules: Option<Vec<String>>,
        max_boilerplate_share: Option<f64>,
        min_words: Option<usize>,
        max_findings_per_kb: Option<f64>,
        min_score: Option<f64>,
    ) -> PyResult<Self> {
        // Absolute paths: a pickled linter is rebuilt on workers whose
        // working directory is not the driver's (Spark executors, Ray actors).
        let absolute = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
        let args = Args {
            config: config.map(absolute),
            rules: rules
                .unwrap_or_default()
                .into_iter()
                .map(absolute)
                .collect(),
            select: select.unwrap_or_default(),
            ignore: ignore.unwrap_or_default(),
            lang,
            unsafe_fixes,
            policy: PolicyOverrides {
                drop_on,
                drop_rules,
                max_boilerplate_share,
                min_words,
                max_findings_per_kb,
                min_score,
            },
        };
        let opts = Options {
            config: args.config.clone(),
            rules: args.rules.clone(),
            select: args.select.clone(),
            ignore: args.ignore.clone(),
            lang: args.lang.clone(),
            unsafe_fixes: args.unsafe_fixes,
            policy: args.policy.clone(),
        };
        let reuse = REUSE.with(|r| r.get());
        let session = py
            .detach(|| cached_session(&opts, reuse))
            .map_err(setup_error)?;
        Ok(Linter {
            session,
            args,
            threads,
            pool: Mutex::new(None),
        })
    }

    /// The findings of `text`: dicts of the JSON output's schema, with
    /// `start` and `end` in code points.
    fn check<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyList>> {
        let session = self.session.clone();
        let found = unwind(py, || check_json(&session, text))?;
        findings_py(py, &found)
    }

    /// `text` with the fixes applied.
    fn fix(&self, py: Python<'_>, text: &str) -> PyResult<String> {
        let session = self.session.clone();
        unwind(py, || session.fix(text).text)
    }

    /// The filter decision about `text`: a dict with `kept`, `text` (fixed),
    /// `reasons`, `score`, and the rest of the verdict.
    fn filter<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let session = self.session.clone();
        let v = unwind(py, || decision_json(&session, text))?;
        to_py(py, &v)
    }

    /// `check` over many texts, on the linter's threads.
    fn check_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let results = self.batch(py, &texts, |s, t| check_json(s, t))?;
        let list = PyList::empty(py);
        for found in &results {
            list.append(findings_py(py, found)?)?;
        }
        Ok(list)
    }

    /// `fix` over many texts, on the linter's threads.
    fn fix_batch(&self, py: Python<'_>, texts: Vec<String>) -> PyResult<Vec<String>> {
        self.batch(py, &texts, |s, t| s.fix(t).text)
    }

    /// `filter` over many texts, on the linter's threads.
    fn filter_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let results = self.batch(py, &texts, |s, t| decision_json(s, t))?;
        let list = PyList::empty(py);
        for v in &results {
            list.append(to_py(py, v)?)?;
        }
        Ok(list)
    }

    /// Findings of an Arrow string array, as a pyarrow RecordBatch with one
    /// row per finding: `row` (index of the text), `rule`, `severity`,
    /// `message`, `start`, `end` (code points), `byte_start`, `byte_end`,
    /// `line`, `column`, `fix` (`safe`, `unsafe` or null). Integers are
    /// signed 64-bit (Spark takes no unsigned types).
    fn check_arrow<'py>(&self, py: Python<'py>, array: PyArray) -> PyResult<Bound<'py, PyAny>> {
        let texts = strings(array.array())?;
        let results = self.batch(py, &texts, |s, t| {
            t.map(|t| session::finding_rows(t, s.check(t)))
                .unwrap_or_default()
        })?;
        let total = results.iter().map(Vec::len).sum();
        let mut row = Int64Builder::with_capacity(total);
        let (mut rule, mut severity, mut message, mut fix) = (
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
        );
        let mut ints: Vec<Int64Builder> =
            (0..6).map(|_| Int64Builder::with_capacity(total)).collect();
        let keys = ["start", "end", "byte_start", "byte_end", "line", "column"];
        for (i, found) in results.iter().enumerate() {
            for f in found {
                row.append_value(i as i64);
                rule.append_value(&f.rule);
                severity.append_value(f.severity);
                message.append_value(&f.message);
                fix.append_option(f.fix);
                let values = [f.start, f.end, f.byte_start, f.byte_end, f.line, f.column];
                for (b, v) in ints.iter_mut().zip(values) {
                    b.append_value(v as i64);
                }
            }
        }
        let mut fields = vec![Field::new("row", DataType::Int64, false)];
        let mut columns: Vec<ArrayRef> = vec![Arc::new(row.finish())];
        for (name, mut b) in [("rule", rule), ("severity", severity), ("message", message)] {
            fields.push(Field::new(name, DataType::Utf8, false));
            columns.push(Arc::new(b.finish()));
        }
        for (k, b) in keys.iter().zip(ints.iter_mut()) {
            fields.push(Field::new(*k, DataType::Int64, false));
            columns.push(Arc::new(b.finish()));
        }
        fields.push(Field::new("fix", DataType::Utf8, true));
        columns.push(Arc::new(fix.finish()));
        record_batch(py, fields, columns)
    }

    /// The fixed texts of an Arrow string array, as an array of the same
    /// width (nulls stay null).
    fn fix_arrow<'py>(&self, py: Python<'py>, array: PyArray) -> PyResult<Bound<'py, PyAny>> {
        let large = matches!(array.array().data_type(), DataType::LargeUtf8);
        let texts = strings(array.array())?;
        let fixed = self.batch(py, &texts, |s, t| t.as_deref().map(|t| s.fix(t).text))?;
        let out = PyArray::from_array_ref(string_array(&fixed, large));
        let object = out.to_pyarrow(py)?.unbind();
        Ok(object.into_bound(py))
    }

    /// The filter decisions of an Arrow string array, as a pyarrow
    /// RecordBatch: `kept` (bool), `text` (the fixed text, of the input's
    /// width), `score` (float64), `changed` (bool), `reasons` (JSON).
    fn filter_arrow<'py>(&self, py: Python<'py>, array: PyArray) -> PyResult<Bound<'py, PyAny>> {
        let large = matches!(array.array().data_type(), DataType::LargeUtf8);
        let texts = strings(array.array())?;
        let results = self.batch(py, &texts, |s, t| t.as_deref().map(|t| s.filter(t)))?;
        let (mut kept, mut changed) = (BooleanBuilder::new(), BooleanBuilder::new());
        let mut score = Float64Builder::new();
        let mut reasons = StringBuilder::new();
        let mut text = Vec::with_capacity(results.len());
        for r in &results {
            match r {
                Some((v, fixed)) => {
                    kept.append_value(v.kept);
                    changed.append_value(v.changed);
                    score.append_value(v.score);
                    reasons.append_value(
                        serde_json::to_string(&v.reasons).expect("reasons serialise"),
                    );
                    text.push(Some(fixed.clone()));
                }
                None => {
                    kept.append_null();
                    changed.append_null();
                    score.append_null();
                    reasons.append_null();
                    text.push(None);
                }
            }
        }
        let text_type = if large {
            DataType::LargeUtf8
        } else {
            DataType::Utf8
        };
        let fields = vec![
            Field::new("kept", DataType::Boolean, true),
            Field::new("text", text_type, true),
            Field::new("score", DataType::Float64, true),
            Field::new("changed", DataType::Boolean, true),
            Field::new("reasons", DataType::Utf8, true),
        ];
        let columns: Vec<ArrayRef> = vec![
            Arc::new(kept.finish()),
            string_array(&text, large),
            Arc::new(score.finish()),
            Arc::new(changed.finish()),
            Arc::new(reasons.finish()),
        ];
        record_batch(py, fields, columns)
    }

    /// Pickling: a linter is made again from its arguments where it is
    /// unpickled (the compiled rules are not sent).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let cls = py.get_type::<Linter>();
        let a = &self.args;
        let args = (
            a.config.clone(),
            if a.rules.is_empty() {
                None
            } else {
                Some(a.rules.clone())
            },
            if a.select.is_empty() {
                None
            } else {
                Some(a.select.clone())
            },
            if a.ignore.is_empty() {
                None
            } else {
                Some(a.ignore.clone())
            },
            a.lang.clone(),
            a.unsafe_fixes,
        );
        let kwargs = PyDict::new(py);
        kwargs.set_item("threads", self.threads)?;
        let p = &a.policy;
        kwargs.set_item("drop_on", p.drop_on.clone())?;
        kwargs.set_item("drop_rules", p.drop_rules.clone())?;
        kwargs.set_item("max_boilerplate_share", p.max_boilerplate_share)?;
        kwargs.set_item("min_words", p.min_words)?;
        kwargs.set_item("max_findings_per_kb", p.max_findings_per_kb)?;
        kwargs.set_item("min_score", p.min_score)?;
        // (callable, args) cannot carry keywords: rebuild through a helper.
        let rebuild = py.import("corpuslint._core")?.getattr("_rebuild")?;
        PyTuple::new(
            py,
            [
                rebuild,
                PyTuple::new(
                    py,
                    [
                        cls.into_any(),
                        args.into_pyobject(py)?.into_any(),
                        kwargs.into_any(),
                    ],
                )?
                .into_any(),
            ],
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Linter(lang={:?}, unsafe_fixes={}, rules={})",
            match &self.session.lang {
                corpuslint::lang::LangChoice::Auto => "auto".to_string(),
                corpuslint::lang::LangChoice::Fixed(c) => c.clone(),
            },
            self.args.unsafe_fixes,
            self.session.linter_rules()
        )
    }
}

fn record_batch<'py>(
    py: Python<'py>,
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    PyRecordBatch::new(batch).into_pyarrow(py)
}

/// Unpickling: `cls(*args, **kwargs)`.
#[pyfunction]
fn _rebuild<'py>(
    cls: &Bound<'py, PyAny>,
    args: &Bound<'py, PyTuple>,
    kwargs: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    REUSE.with(|r| r.set(true));
    let linter = cls.call(args, Some(kwargs));
    REUSE.with(|r| r.set(false));
    linter
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Linter>()?;
    m.add("RuleError", m.py().get_type::<RuleError>())?;
    m.add_function(wrap_pyfunction!(_rebuild, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
