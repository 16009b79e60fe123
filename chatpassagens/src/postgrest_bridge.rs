//! A PostgREST-compatible RPC bridge over a real PostgreSQL, so the
//! production `postgrest` store adapter runs unchanged on a developer's
//! machine and in tests.
//!
//! Serves `GET` and `POST /rpc/<fn>` (also under `/rest/v1`, Supabase's
//! prefix) as PostgREST does: one transaction per request (`READ ONLY` for
//! GET); the role from the JWT's `role` claim (the anon role without a JWT),
//! switched to with `SET LOCAL ROLE`; `request.jwt.claims`, `request.method`,
//! `request.path` and `request.headers` set for the transaction; named
//! arguments typed by the function's signature, defaults honoured; scalar,
//! array, object and 204 answers; `Accept: application/vnd.pgrst.object+json`;
//! and PostgREST's SQLSTATE → HTTP mapping with `{code, message, details, hint}`.
//! It reads PostgREST's own settings: `PGRST_DB_URI`, `PGRST_DB_SCHEMAS`,
//! `PGRST_DB_ANON_ROLE`, `PGRST_JWT_SECRET` (and `PGRST_JWT_AUD`), and
//! listens where `PGRST_SERVER_HOST` and `PGRST_SERVER_PORT` say.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value, json};
use tokio_postgres::NoTls;

/// PostgREST's settings, by their PostgREST names.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `PGRST_DB_URI`.
    pub db_uri: String,
    /// `PGRST_DB_SCHEMAS`: exposed schemas, the first the default.
    pub schemas: Vec<String>,
    /// `PGRST_DB_ANON_ROLE`.
    pub anon_role: String,
    /// `PGRST_JWT_SECRET` (HS256).
    pub jwt_secret: String,
    /// `PGRST_JWT_AUD`: the audience tokens must carry, if set.
    pub jwt_aud: Option<String>,
}

impl Settings {
    /// Reads the settings through `get` (the environment, or a map).
    ///
    /// # Errors
    /// Names the missing variable.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let need = |k: &str| {
            get(k)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| anyhow::anyhow!("{k}: required"))
        };
        Ok(Self {
            db_uri: need("PGRST_DB_URI")?,
            schemas: get("PGRST_DB_SCHEMAS")
                .unwrap_or_else(|| "public".to_owned())
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            anon_role: need("PGRST_DB_ANON_ROLE")?,
            jwt_secret: need("PGRST_JWT_SECRET")?,
            jwt_aud: get("PGRST_JWT_AUD").filter(|v| !v.is_empty()),
        })
    }
}

/// Where the bridge listens when no address is given: 127.0.0.1:3001, so it
/// sits beside `serve` (3000) on a developer's machine.
const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 3001);

/// The address PostgREST's `PGRST_SERVER_HOST` and `PGRST_SERVER_PORT` name,
/// each falling back to [`DEFAULT_LISTEN`]'s part. PostgREST's special hosts
/// `*`, `*4`, `!4` (any IPv4) and `*6`, `!6` (any IPv6) are understood.
///
/// # Errors
/// Names the variable whose value is not a host or port.
pub fn listen_address(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<SocketAddr> {
    let host = match get("PGRST_SERVER_HOST").filter(|v| !v.is_empty()) {
        None => DEFAULT_LISTEN.ip(),
        Some(h) => match h.as_str() {
            "*" | "*4" | "!4" => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            "*6" | "!6" => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
            other => other
                .parse()
                .map_err(|_| anyhow::anyhow!("PGRST_SERVER_HOST: not an IP address '{other}'"))?,
        },
    };
    let port = match get("PGRST_SERVER_PORT").filter(|v| !v.is_empty()) {
        None => DEFAULT_LISTEN.port(),
        Some(p) => p
            .parse()
            .map_err(|_| anyhow::anyhow!("PGRST_SERVER_PORT: not a port number '{p}'"))?,
    };
    Ok(SocketAddr::new(host, port))
}

/// Runs the bridge as `postgrest-bridge` does: settings from `get`, on
/// `listen` or else where [`listen_address`] says; `ready` is told the bound
/// address before the first request is served.
///
/// # Errors
/// A missing setting, a malformed address, or a port that cannot be bound.
pub async fn serve(
    get: impl Fn(&str) -> Option<String>,
    listen: Option<SocketAddr>,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let settings = Settings::from_lookup(&get)?;
    let addr = match listen {
        Some(addr) => addr,
        None => listen_address(&get)?,
    };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, router(settings)?).await?;
    Ok(())
}

struct Bridge {
    pool: Pool,
    settings: Settings,
    /// Function signatures by (schema, name), as PostgREST's schema cache.
    schema_cache: Mutex<HashMap<(String, String), Overloads>>,
}

/// The bridge's routes over a pool connected to `settings.db_uri`.
///
/// # Errors
/// When the database URI is malformed.
pub fn router(settings: Settings) -> anyhow::Result<Router> {
    let pg: tokio_postgres::Config = settings.db_uri.parse()?;
    let manager = Manager::from_config(
        pg,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    // PostgREST's default pool is 10 connections.
    let pool = Pool::builder(manager).max_size(10).build()?;
    let bridge = Arc::new(Bridge {
        pool,
        settings,
        schema_cache: Mutex::new(HashMap::new()),
    });
    Ok(Router::new()
        .route("/rpc/{function}", rpc_methods())
        .route("/rest/v1/rpc/{function}", rpc_methods())
        .with_state(bridge))
}

/// GET (and HEAD) and POST call the function; every other method but
/// OPTIONS is PostgREST's PGRST101.
fn rpc_methods() -> MethodRouter<Arc<Bridge>> {
    get(call).post(call).fallback(|method: Method| async move {
        // PostgREST answers OPTIONS with an `Allow` that depends on the
        // function's volatility, which the bridge does not model: no answer
        // beats a wrong one.
        if method == Method::OPTIONS {
            return StatusCode::METHOD_NOT_ALLOWED.into_response();
        }
        Failure::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "PGRST101",
            format!("Cannot use the {method} method on RPC"),
            None,
            None,
        )
        .into_response()
    })
}

/// A PostgREST error answer.
struct Failure {
    status: StatusCode,
    body: Value,
}

impl Failure {
    fn new(
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
        details: Option<String>,
        hint: Option<String>,
    ) -> Self {
        Self {
            status,
            body: json!({ "code": code, "message": message.into(), "details": details, "hint": hint }),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        // PostgREST answers every error as `application/json; charset=utf-8`.
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, JSON_MEDIA_TYPE)],
            self.body.to_string(),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

const OBJECT_MEDIA_TYPE: &str = "application/vnd.pgrst.object+json";
const JSON_MEDIA_TYPE: &str = "application/json; charset=utf-8";

async fn call(
    State(bridge): State<Arc<Bridge>>,
    method: Method,
    Path(function): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match execute(&bridge, &method, &function, query, &headers, &body).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

async fn execute(
    bridge: &Bridge,
    method: &Method,
    function: &str,
    query: Vec<(String, String)>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Failure> {
    let (role, claims) = authenticate(&bridge.settings, headers)?;
    let schema = schema_for(&bridge.settings, method, headers)?;
    let args = arguments(method, query, body)?;
    let want_object = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(OBJECT_MEDIA_TYPE));

    let mut client = bridge.pool.get().await.map_err(|e| {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "PGRST000",
            format!("database connection error: {e}"),
            None,
            None,
        )
    })?;
    let signature = lookup(bridge, &client, &schema, function, &args).await?;
    let read_only = *method == Method::GET;
    let tx = client
        .build_transaction()
        .read_only(read_only)
        .start()
        .await
        .map_err(|e| db_failure(&e, &role, &bridge.settings.anon_role))?;
    let request = RequestSettings {
        role: &role,
        claims: &claims,
        method,
        path: format!("/rpc/{function}"),
        headers,
    };
    let sql = signature.call_sql(&schema, function, &args);
    let json = match call_in(&tx, &request, &sql, &args).await {
        Ok(json) => json,
        Err(e) => {
            let _ = tx.rollback().await;
            return Err(db_failure(&e, &role, &bridge.settings.anon_role));
        }
    };
    tx.commit()
        .await
        .map_err(|e| db_failure(&e, &role, &bridge.settings.anon_role))?;
    respond(&signature, json, want_object)
}

/// What PostgREST sets for a request before calling the function.
struct RequestSettings<'a> {
    role: &'a str,
    claims: &'a Value,
    method: &'a Method,
    path: String,
    headers: &'a HeaderMap,
}

/// Inside the request's transaction: the role and `request.*` settings,
/// then the call, returning its JSON text.
async fn call_in(
    tx: &deadpool_postgres::Transaction<'_>,
    request: &RequestSettings<'_>,
    sql: &str,
    args: &Map<String, Value>,
) -> Result<Option<String>, tokio_postgres::Error> {
    let headers = Value::Object(
        request
            .headers
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_owned(), json!(v))))
            .collect(),
    );
    tx.batch_execute(&format!("set local role {}", quote_ident(request.role)))
        .await?;
    tx.execute(
        "select set_config('request.jwt.claims', $1, true), set_config('request.method', $2, true), \
         set_config('request.path', $3, true), set_config('request.headers', $4, true)",
        &[
            &request.claims.to_string(),
            &request.method.as_str(),
            &request.path,
            &headers.to_string(),
        ],
    )
    .await?;
    let payload = Value::Object(args.clone()).to_string();
    let row = if args.is_empty() {
        tx.query_one(sql, &[]).await?
    } else {
        tx.query_one(sql, &[&payload]).await?
    };
    row.try_get::<_, Option<String>>(0)
}

/// The role and claims of the request: the JWT's, or the anon role's.
fn authenticate(settings: &Settings, headers: &HeaderMap) -> Result<(String, Value), Failure> {
    let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok((
            settings.anon_role.clone(),
            json!({ "role": settings.anon_role }),
        ));
    };
    let token = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("bearer "))
        .ok_or_else(|| {
            Failure::new(
                StatusCode::UNAUTHORIZED,
                "PGRST301",
                "Expected a Bearer token",
                None,
                None,
            )
        })?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = true;
    validation.leeway = 0;
    match &settings.jwt_aud {
        Some(aud) => validation.set_audience(&[aud]),
        None => validation.validate_aud = false,
    }
    let data = jsonwebtoken::decode::<Value>(
        token,
        &DecodingKey::from_secret(settings.jwt_secret.as_bytes()),
        &validation,
    )
    .map_err(|e| jwt_failure(&e))?;
    let role = data
        .claims
        .get("role")
        .and_then(Value::as_str)
        .map_or_else(|| settings.anon_role.clone(), str::to_owned);
    Ok((role, data.claims))
}

/// PostgREST's answer to a token it cannot accept.
fn jwt_failure(e: &jsonwebtoken::errors::Error) -> Failure {
    use jsonwebtoken::errors::ErrorKind;
    let (code, message) = match e.kind() {
        ErrorKind::ExpiredSignature => ("PGRST303", "JWT expired".to_owned()),
        ErrorKind::InvalidAudience => ("PGRST303", "JWT not in audience".to_owned()),
        _ => ("PGRST301", format!("JWT invalid: {e}")),
    };
    Failure::new(StatusCode::UNAUTHORIZED, code, message, None, None)
}

/// The schema: `Accept-Profile` (GET) or `Content-Profile` (POST), else the first exposed.
fn schema_for(
    settings: &Settings,
    method: &Method,
    headers: &HeaderMap,
) -> Result<String, Failure> {
    let name = if *method == Method::GET {
        "accept-profile"
    } else {
        "content-profile"
    };
    match headers.get(name).and_then(|v| v.to_str().ok()) {
        None => Ok(settings
            .schemas
            .first()
            .cloned()
            .unwrap_or_else(|| "public".to_owned())),
        Some(s) if settings.schemas.iter().any(|x| x == s) => Ok(s.to_owned()),
        Some(s) => Err(Failure::new(
            StatusCode::NOT_ACCEPTABLE,
            "PGRST106",
            format!(
                "The schema must be one of the following: {}",
                settings.schemas.join(", ")
            ),
            None,
            Some(format!("schema '{s}' is not exposed")),
        )),
    }
}

/// Named arguments: the JSON object body of a POST, the query string of a GET.
/// A JSON array of objects calls the function once, with the first object,
/// as PostgREST does (whatever `Prefer: params=...` says: its
/// `multiple-objects` preference is gone and unknown preferences are ignored).
fn arguments(
    method: &Method,
    query: Vec<(String, String)>,
    body: &[u8],
) -> Result<Map<String, Value>, Failure> {
    if *method == Method::GET {
        return Ok(query
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect());
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Array(items)) if items.iter().all(Value::is_object) => {
            match items.into_iter().next() {
                Some(Value::Object(first)) => Ok(first),
                _ => Ok(Map::new()),
            }
        }
        Ok(_) => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "PGRST102",
            "Expected a JSON object of named arguments",
            None,
            None,
        )),
        Err(e) => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "PGRST102",
            "Empty or invalid json",
            Some(e.to_string()),
            None,
        )),
    }
}

/// What a function returns, which decides the shape of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Returns {
    Void,
    Scalar,
    Composite,
    Set,
    /// One row of OUT / INOUT parameters: an object keyed by their names,
    /// even when there is only one (PostgREST's answer).
    OutParams,
    /// Rows of OUT parameters or a `RETURNS TABLE`: an array of such objects.
    SetOfOutParams,
}

/// Every overload of one function.
type Overloads = Arc<Vec<Signature>>;

/// One overload of a function, as the schema cache keeps it.
#[derive(Clone)]
struct Signature {
    /// IN arguments: name and SQL type.
    args: Vec<(String, String)>,
    /// How many trailing arguments have defaults.
    defaults: usize,
    returns: Returns,
}

impl Signature {
    /// `select <json> from json_to_record($1) as _a(...)` calling the function
    /// with only the given arguments, so defaults apply to the rest.
    fn call_sql(&self, schema: &str, function: &str, given: &Map<String, Value>) -> String {
        let used: Vec<&(String, String)> = self
            .args
            .iter()
            .filter(|(n, _)| given.contains_key(n))
            .collect();
        let call_args: Vec<String> = used
            .iter()
            .map(|(n, _)| format!("{0} := _a.{0}", quote_ident(n)))
            .collect();
        let call = format!(
            "{}.{}({})",
            quote_ident(schema),
            quote_ident(function),
            call_args.join(", ")
        );
        let from = if used.is_empty() {
            String::new()
        } else {
            let cols: Vec<String> = used
                .iter()
                .map(|(n, t)| format!("{} {t}", quote_ident(n)))
                .collect();
            format!(
                " from json_to_record($1::text::json) as _a({})",
                cols.join(", ")
            )
        };
        select_sql(self.returns, &call, &from)
    }
}

/// The statement turning `call` (over the arguments in `from`) into JSON text.
fn select_sql(returns: Returns, call: &str, from: &str) -> String {
    // `(select * from f())` names the columns after the OUT parameters; a bare
    // `f() as _r` would make a single OUT parameter a scalar.
    let (rows, aggregate) = match returns {
        Returns::Void => return format!("select ({call})::text, null::text{from}"),
        Returns::Scalar | Returns::Composite => {
            return format!("select to_json({call})::text{from}");
        }
        Returns::Set => (call.to_owned(), true),
        Returns::SetOfOutParams => (format!("(select * from {call})"), true),
        Returns::OutParams => (format!("(select * from {call})"), false),
    };
    let json = if aggregate {
        "coalesce(json_agg(_r), '[]')"
    } else {
        "to_json(_r)"
    };
    if from.is_empty() {
        format!("select {json}::text from {rows} as _r")
    } else {
        format!("select {json}::text{from} cross join lateral {rows} as _r")
    }
}

/// The overloads of `schema.function` callable by name: from the schema
/// cache, else read from `pg_catalog` and cached. Like PostgREST's schema
/// cache, a function changed after it was first called needs a restart
/// (PostgREST: `NOTIFY pgrst, 'reload schema'`); missing functions are not
/// cached, so new ones are found at once.
async fn overloads(
    bridge: &Bridge,
    client: &deadpool_postgres::Client,
    schema: &str,
    function: &str,
) -> Result<Overloads, Failure> {
    let key = (schema.to_owned(), function.to_owned());
    if let Some(found) = bridge
        .schema_cache
        .lock()
        .ok()
        .and_then(|c| c.get(&key).cloned())
    {
        return Ok(found);
    }
    // pg_proc keeps no typmod for arguments, so `char(5)` reads as
    // `character`, which as a record column means char(1) and truncates or
    // refuses the value. PostgREST widens char and bit to their varying
    // forms, leaving the length check to where the value is stored.
    let rows = client
        .query(
            "select coalesce(p.proargnames, '{}'::text[]), coalesce(p.proargmodes::text[], '{}'::text[]), \
                    array(select case a.t \
                                   when 'bit'::regtype then 'bit varying' \
                                   when 'bit[]'::regtype then 'bit varying[]' \
                                   when 'character'::regtype then 'character varying' \
                                   when 'character[]'::regtype then 'character varying[]' \
                                   else a.t::regtype::text end \
                          from unnest(p.proargtypes) with ordinality as a (t, i) order by a.i), \
                    p.pronargdefaults::int, p.proretset, t.typtype::text, format_type(p.prorettype, null), \
                    coalesce(p.proargmodes::text[] && '{t,b,o}', false) \
             from pg_proc p \
             join pg_namespace n on n.oid = p.pronamespace \
             join pg_type t on t.oid = p.prorettype \
             where n.nspname = $1 and p.proname = $2",
            &[&schema, &function],
        )
        .await
        .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, "PGRST000", e.to_string(), None, None))?;
    let found: Vec<Signature> = rows.iter().filter_map(signature_of).collect();
    let found = Arc::new(found);
    if let (false, Ok(mut cache)) = (found.is_empty(), bridge.schema_cache.lock()) {
        cache.insert(key, found.clone());
    }
    Ok(found)
}

/// A `pg_proc` row as a signature callable by name; `None` for a function
/// with unnamed arguments.
fn signature_of(row: &tokio_postgres::Row) -> Option<Signature> {
    let names: Vec<String> = row.get(0);
    let modes: Vec<String> = row.get(1);
    let types: Vec<String> = row.get(2);
    let in_names: Vec<String> = if modes.is_empty() {
        names.iter().take(types.len()).cloned().collect()
    } else {
        names
            .iter()
            .zip(&modes)
            .filter(|(_, m)| matches!(m.as_str(), "i" | "b" | "v"))
            .map(|(n, _)| n.clone())
            .collect()
    };
    if in_names.len() != types.len() || in_names.iter().any(String::is_empty) {
        return None;
    }
    let retset: bool = row.get(4);
    let typtype: String = row.get(5);
    let rettype: String = row.get(6);
    let out_params: bool = row.get(7);
    let returns = match (rettype.as_str(), retset, out_params) {
        ("void", _, _) => Returns::Void,
        (_, true, true) => Returns::SetOfOutParams,
        (_, true, false) => Returns::Set,
        (_, false, true) => Returns::OutParams,
        _ if typtype == "c" || rettype == "record" => Returns::Composite,
        _ => Returns::Scalar,
    };
    Some(Signature {
        args: in_names.into_iter().zip(types).collect(),
        defaults: usize::try_from(row.get::<_, i32>(3)).unwrap_or(0),
        returns,
    })
}

/// The overload that takes exactly the given named arguments (each known,
/// every one without a default present), or PGRST202.
async fn lookup(
    bridge: &Bridge,
    client: &deadpool_postgres::Client,
    schema: &str,
    function: &str,
    given: &Map<String, Value>,
) -> Result<Signature, Failure> {
    for candidate in overloads(bridge, client, schema, function).await?.iter() {
        let required = candidate.args.len().saturating_sub(candidate.defaults);
        let knows_all = given
            .keys()
            .all(|k| candidate.args.iter().any(|(n, _)| n == k));
        let has_required = candidate
            .args
            .iter()
            .take(required)
            .all(|(n, _)| given.contains_key(n));
        if knows_all && has_required {
            return Ok(candidate.clone());
        }
    }
    let keys: Vec<&str> = given
        .keys()
        .map(String::as_str)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Err(Failure::new(
        StatusCode::NOT_FOUND,
        "PGRST202",
        format!(
            "Could not find the function {schema}.{function}({}) in the schema cache",
            keys.join(", ")
        ),
        Some(format!(
            "Searched for the function {schema}.{function} with parameters {} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
            keys.join(", ")
        )),
        None,
    ))
}

fn respond(
    signature: &Signature,
    json: Option<String>,
    want_object: bool,
) -> Result<Response, Failure> {
    if signature.returns == Returns::Void {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let mut text = json.unwrap_or_else(|| "null".to_owned());
    if want_object && matches!(signature.returns, Returns::Set | Returns::SetOfOutParams) {
        let rows: Vec<Value> = serde_json::from_str(&text).unwrap_or_default();
        if rows.len() != 1 {
            return Err(Failure::new(
                StatusCode::NOT_ACCEPTABLE,
                "PGRST116",
                "Cannot coerce the result to a single JSON object",
                Some(format!("The result contains {} rows", rows.len())),
                None,
            ));
        }
        text = rows[0].to_string();
    }
    let content_type = if want_object {
        OBJECT_MEDIA_TYPE
    } else {
        "application/json"
    };
    Ok((
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            format!("{content_type}; charset=utf-8"),
        )],
        text,
    )
        .into_response())
}

/// PostgREST's mapping of a database error to an HTTP status.
fn db_failure(e: &tokio_postgres::Error, role: &str, anon_role: &str) -> Failure {
    let Some(db) = e.as_db_error() else {
        return Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "PGRST000",
            "Database client error",
            Some(e.to_string()),
            None,
        );
    };
    let code = db.code().code();
    let status = status_for(code, role == anon_role);
    Failure::new(
        status,
        code,
        db.message(),
        db.detail().map(str::to_owned),
        db.hint().map(str::to_owned),
    )
}

/// The SQLSTATE → HTTP table of PostgREST's documentation ("Errors").
fn status_for(code: &str, anonymous: bool) -> StatusCode {
    // Only `PT` and three digits sets the status; any other `PT...` is a 500.
    if let Some(custom) = code.strip_prefix("PT") {
        return Some(custom)
            .filter(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u16>().ok())
            .and_then(|n| StatusCode::from_u16(n).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    let class = &code[..2.min(code.len())];
    match (code, class) {
        ("42501", _) if anonymous => StatusCode::UNAUTHORIZED,
        ("42501", _) => StatusCode::FORBIDDEN,
        ("23503" | "23505", _) => StatusCode::CONFLICT,
        ("25006", _) => StatusCode::METHOD_NOT_ALLOWED,
        ("42883" | "42P01", _) => StatusCode::NOT_FOUND,
        ("P0001", _) => StatusCode::BAD_REQUEST,
        (_, "08" | "53") => StatusCode::SERVICE_UNAVAILABLE,
        (_, "0L" | "0P" | "28") => StatusCode::FORBIDDEN,
        (_, "54") => StatusCode::PAYLOAD_TOO_LARGE,
        (
            _,
            "09" | "25" | "2D" | "38" | "39" | "3B" | "40" | "55" | "57" | "58" | "F0" | "HV"
            | "P0" | "XX",
        ) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// A long-lived key for an API role (`anon`, `service_role`), signed with
/// the JWT secret: what Supabase hands a project as its anon and service keys.
///
/// # Errors
/// When signing fails.
pub fn role_token(role: &str, secret: &str) -> anyhow::Result<String> {
    let claims = json!({ "role": role, "aud": "authenticated", "iss": "chatpassagens-local" });
    Ok(jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )?)
}

/// Quotes an SQL identifier (`"a""b"`).
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlstates_map_as_postgrest_documents() {
        assert_eq!(status_for("PT404", false), StatusCode::NOT_FOUND);
        assert_eq!(
            status_for("PT40A", false),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(status_for("42501", true), StatusCode::UNAUTHORIZED);
        assert_eq!(status_for("42501", false), StatusCode::FORBIDDEN);
        assert_eq!(status_for("23505", false), StatusCode::CONFLICT);
        assert_eq!(status_for("25006", false), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(status_for("22P02", false), StatusCode::BAD_REQUEST);
        assert_eq!(status_for("P0001", false), StatusCode::BAD_REQUEST);
        assert_eq!(
            status_for("40001", false),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(status_for("53300", false), StatusCode::SERVICE_UNAVAILABLE);
    }
}
