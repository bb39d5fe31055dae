/* dqaudit plugin C ABI: the only contract between the host and a plugin shared library. */
#ifndef DQAUDIT_PLUGIN_ABI_H_
#define DQAUDIT_PLUGIN_ABI_H_

/*
 * A plugin exports exactly one symbol, DQA_PLUGIN_ENTRY_NAME, an extern "C" function returning a
 * pointer to a static dqa_plugin. The host checks abi_major == DQA_PLUGIN_ABI_MAJOR,
 * abi_minor <= the host's DQA_PLUGIN_ABI_MINOR and struct_size >= the size of the ABI 1.0 struct
 * before it reads anything else or calls any other function.
 *
 * Versions: a minor version only ever appends fields at the END of dqa_plugin, and the host reads
 * an appended field only when the plugin's struct_size covers it. dqa_param_desc and
 * dqa_check_desc are arrays, so their layout (the stride) is frozen for major 1: what later minors
 * say about checks and parameters travels through fields appended to dqa_plugin.
 *  1.0  the descriptor up to `destroy`.
 *  1.1  params_schema_json: constraints of the parameters (allowed values, numeric range, default),
 *       which the host enforces when it reads a rule file (`dqaudit rules check`), not at scan time.
 *  1.2  dqa_query_api.fuzzy_clusters: a query check asks the host for the fuzzy-duplicate clusters
 *       of a table. dqa_plugin is unchanged.
 *  1.3  dqa_result_sink.add_indicator: a check publishes an indicator with a target (dqa_indicator;
 *       docs/checks.md "Indicators"). dqa_plugin is unchanged.
 *  1.4  messages in both languages: dqa_plugin.messages_json (the plugin's message catalog, vi
 *       and en) and dqa_result_sink.add_message_words (a message as a catalog key and its
 *       arguments, which every report renders in its own language; docs/plugins.md "Messages").
 *
 * Host-provided structs (dqa_query_api, dqa_result_sink, dqa_row) carry no struct_size: a minor
 * version may append a field at their END because a plugin only ever reads them from a host at
 * least as new as itself. The host refuses a plugin whose abi_minor is above its own, so a plugin
 * built for 1.2 (which may call fuzzy_clusters) never meets a 1.1 host (whose dqa_query_api ends
 * before it), and a 1.0 or 1.1 plugin simply never reads the appended field; likewise a 1.3 plugin
 * (which may call add_indicator) never meets a 1.2 host.
 *
 * Rules for both sides:
 *  - Only the types in this header cross the boundary: no exceptions, no C++ types, no memory
 *    allocated by one side and freed by the other.
 *  - Strings are UTF-8 and NUL-terminated unless a length is given. Strings handed to a callback are
 *    valid only for the duration of that call.
 *  - Errors: a function returning int returns DQA_OK (0) on success and DQA_ERR (-1) on failure, with
 *    a NUL-terminated message written into the caller's buffer `err` of `err_cap` bytes (truncated).
 *  - Everything a plugin returns through the descriptor (names, descriptions, arrays) is static: it
 *    lives as long as the library is loaded, and the host never unloads a library while it runs.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DQA_PLUGIN_ABI_MAJOR 1
#define DQA_PLUGIN_ABI_MINOR 4
#define DQA_PLUGIN_ENTRY_NAME "dqa_plugin_entry"

#define DQA_OK 0
#define DQA_ERR (-1)

/* Parameter types of a check, as written in a rule file. */
typedef enum dqa_param_type {
  DQA_PARAM_COLUMN = 1,      /* a column name of the checked table (validated by the host) */
  DQA_PARAM_STRING = 2,      /* any text */
  DQA_PARAM_NUMBER = 3,      /* a real number */
  DQA_PARAM_INTEGER = 4,     /* an integer */
  DQA_PARAM_DURATION = 5,    /* "30d", "12h", "2w", "6m", "1y" (passed as that text) */
  DQA_PARAM_BOOL = 6,        /* true / false */
  DQA_PARAM_STRING_LIST = 7  /* a list of texts */
} dqa_param_type;

/* How a check runs: per row inside the host's table scan, or once with the host's query API. */
typedef enum dqa_check_kind { DQA_CHECK_ROW = 1, DQA_CHECK_QUERY = 2 } dqa_check_kind;

/* Storage class of a value (SQLite's). */
typedef enum dqa_value_type {
  DQA_VALUE_NULL = 0,
  DQA_VALUE_INTEGER = 1,
  DQA_VALUE_REAL = 2,
  DQA_VALUE_TEXT = 3,
  DQA_VALUE_BLOB = 4
} dqa_value_type;

typedef struct dqa_param_desc {
  const char* name;         /* key in the rule file, e.g. "birth_date" */
  int type;                 /* dqa_param_type */
  int required;             /* 1: the rule must give it */
  const char* description;  /* one line, shown by `dqaudit plugins info` */
} dqa_param_desc;

typedef struct dqa_check_desc {
  const char* name;         /* "cccd": the rule file writes "<sector>.<name>" */
  const char* description;  /* one line */
  const char* dimension;    /* "validity", "completeness", "uniqueness" or "freshness" */
  int kind;                 /* dqa_check_kind */
  const dqa_param_desc* params;
  size_t param_count;
} dqa_check_desc;

/* What the host tells a check instance about the scan. */
typedef struct dqa_host_context {
  uint32_t struct_size;  /* sizeof(dqa_host_context) of the host */
  int64_t now_unix;      /* reference instant (UTC seconds) for "today" */
  int64_t today_day;     /* days since 1970-01-01 of now_unix */
  const char* source;    /* name of the source being scanned */
  const char* table;     /* table of the check */
} dqa_host_context;

/*
 * One row, read through the host. `find` maps a name to an index (-1 if unknown): for a row check the
 * names are the check's column parameters (e.g. "column", "birth_date"), for a query row they are the
 * result's column names. Values are valid until the callback or observe call returns.
 */
typedef struct dqa_row {
  const void* ctx;
  int (*column_count)(const void* ctx);
  int (*find)(const void* ctx, const char* name);
  int (*type)(const void* ctx, int index);  /* dqa_value_type */
  int64_t (*get_int)(const void* ctx, int index);
  double (*get_double)(const void* ctx, int index);
  /* Text of the value (numbers converted as SQLite does); *len gets the byte length. Never NULL. */
  const char* (*get_text)(const void* ctx, int index, size_t* len);
} dqa_row;

/* A bound SQL parameter (`?` in order). */
typedef struct dqa_value {
  int type;  /* dqa_value_type; BLOB is not supported */
  int64_t int_value;
  double real_value;
  const char* text;  /* DQA_VALUE_TEXT: text_len bytes */
  size_t text_len;
} dqa_value;

/* Called once per result row; return 0 to continue, non-zero to stop early (not an error). */
typedef int (*dqa_row_callback)(void* user, const dqa_row* row);

/*
 * Read-only SQL on the source's snapshot connection; attached sources are visible under their
 * `attach` alias. Returns DQA_OK, or DQA_ERR with the SQLite message in `err`.
 */
typedef struct dqa_query_api {
  void* ctx;
  int (*query)(void* ctx, const char* sql, const dqa_value* binds, size_t bind_count,
               dqa_row_callback callback, void* user, char* err, size_t err_cap);

  /* ---- ABI 1.2 (present for every plugin the host loads with abi_minor >= 2) ---- */

  /* The fuzzy-duplicate clusters of `table` ("table", or "alias.table" of an attached source),
   * computed by the host as the built-in fuzzy_duplicate check computes them, on the same
   * snapshot connection as `query`. `params_json` is a JSON object of that check type's
   * parameters, validated against its schema (`dqaudit checks info fuzzy_duplicate`):
   *   {"name": "ho_ten", "same": ["ngay_sinh"], "also": ["ma_xa", "so_cccd"], "threshold": 0.9}
   * plus an optional "key": a list of columns that name a record (default ["rowid"]).
   * `callback` gets one row per record that belongs to a cluster, clusters in the order of their
   * first record, records in table order, with the columns
   *   group         integer, the cluster's number from 1
   *   <key columns> the record's key, under the key's column names ("rowid" by default)
   *   matched_with  the key of the record of its cluster it matched best (the value for a
   *                 one-column key, else the values joined by ", ")
   *   probability   real, that match's probability
   *   agreement     text, how each field agreed ("ho_ten≈ ngay_sinh= so_cccd~")
   * Returns DQA_OK, or DQA_ERR with the reason in `err` (bad JSON or parameters, an unknown
   * table or column, a failed read). A callback that returns non-zero stops early (not an error).
   */
  int (*fuzzy_clusters)(void* ctx, const char* table, const char* params_json,
                        dqa_row_callback callback, void* user, char* err, size_t err_cap);
} dqa_query_api;

/* Which way an indicator should move (ABI 1.3). */
typedef enum dqa_direction { DQA_DIRECTION_HIGHER = 1, DQA_DIRECTION_LOWER = 2 } dqa_direction;

/*
 * An indicator with a target (ABI 1.3): a figure the committee reads against its target, e.g. the
 * share of welfare paid cashless. Filled by the plugin and read by the host during add_indicator
 * only. Its layout is frozen for major 1 (a later minor adds another callback, not fields here).
 */
typedef struct dqa_indicator {
  const char* id;          /* required, e.g. "chi_tra_khong_tien_mat" */
  const char* title;       /* NULL or "": none */
  int has_value;           /* 0: no value (an empty denominator) */
  double value;            /* percent for unit "percent" */
  int has_target;          /* 0: a figure without a target (always met) */
  double target;
  int direction;           /* dqa_direction */
  double warn_within;      /* points on the wrong side of the target that only warn (>= 0) */
  const char* unit;        /* "percent", or NULL / "" for a plain number */
  int64_t numerator;       /* the rows counted towards the value */
  int64_t denominator;     /* the rows measured */
} dqa_indicator;

/* Where a check reports its result (called by the plugin during finish / run_query). */
typedef struct dqa_result_sink {
  void* ctx;
  void (*set_counts)(void* ctx, int64_t violations, int64_t rows_checked);
  void (*add_metric)(void* ctx, const char* name, double value);
  void (*set_message)(void* ctx, const char* message);
  /* A sample of a violating row, as key values (query checks; the host samples row checks). */
  void (*add_sample)(void* ctx, const char* const* values, size_t count);
  /* ---- ABI 1.3 ---- */
  /* Publishes an indicator (appended to the check's result in call order). */
  void (*add_indicator)(void* ctx, const dqa_indicator* indicator);
  /* ---- ABI 1.4 ---- */
  /* Adds a part to the check's message in words: `key` names an entry of the plugin's
   * messages_json, `names` / `values` its `count` arguments. An argument's name says how reports
   * write it: n_* an integer, p_* a percentage (0..100), x_* a number, d_* an ISO day, anything
   * else text; its placeholder in the text is the name without the prefix ("n_count" -> {count}).
   * Several calls make one message, the parts joined by "; ". Replaces set_message's text. */
  void (*add_message_words)(void* ctx, const char* key, const char* const* names,
                            const char* const* values, size_t count);
} dqa_result_sink;

typedef struct dqa_plugin {
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t struct_size; /* sizeof(dqa_plugin) of the plugin's SDK */
  const char* name;     /* unique plugin name, e.g. "population" */
  const char* version;  /* e.g. "1.0.0" */
  const char* sector;   /* the rule-file prefix of its checks, e.g. "population" */
  const char* description;
  const dqa_check_desc* checks;
  size_t check_count;

  /* Creates an instance of check `check_index` from the rule's parameters (a JSON object whose
   * values the host validated against the descriptor). DQA_OK and *instance set, or DQA_ERR. */
  int (*create)(size_t check_index, const char* params_json, const dqa_host_context* context,
                void** instance, char* err, size_t err_cap);
  /* Row checks: returns 1 if the row violates the check, 0 if not, DQA_ERR on failure. The host
   * calls it only for rows whose first column parameter (the checked column) is non-NULL; other
   * column parameters may be NULL (type DQA_VALUE_NULL). */
  int (*observe)(void* instance, const dqa_row* row, char* err, size_t err_cap);
  /* Query checks: runs the check with the host's query API and reports through `sink`. */
  int (*run_query)(void* instance, const dqa_query_api* api, const dqa_result_sink* sink, char* err,
                   size_t err_cap);
  /* Row checks: after the last row; reports metrics / message (counts are optional: the host counts
   * observed rows and violations itself unless set_counts is called). */
  int (*finish)(void* instance, const dqa_result_sink* sink, char* err, size_t err_cap);
  /* Frees the instance. Never fails. */
  void (*destroy)(void* instance);

  /* ---- ABI 1.1 (read only when struct_size covers it) ---- */

  /* Constraints of the checks' parameters as a JSON object, or NULL for none:
   *   {"<check>": {"<param>": {"choices": ["auto", "iso", "dmy"], "default": "auto"},
   *                "<param>": {"min": 0, "max": 150, "default": 120}}}
   * Keys name declared checks and parameters. Per parameter, every key is optional:
   *   "choices"  string and string_list parameters: the allowed values (non-empty, distinct)
   *   "min", "max"  number and integer parameters: the inclusive range (whole numbers for integer)
   *   "default"  the value a check uses when the rule omits the parameter, in the parameter's JSON
   *              form (a string, number, bool or array of strings) and within its constraints;
   *              not for required parameters nor for column parameters of row checks
   * The host refuses the plugin (naming the library) when the text breaks these rules; it rejects
   * a rule file whose values break the constraints before any scan, and still passes the rule's
   * parameters to create() as written (a default is not filled in: the plugin applies it). */
  const char* params_schema_json;

  /* ---- ABI 1.4 (read only when struct_size covers it) ---- */

  /* The plugin's message catalog as a JSON object, or NULL for none:
   *   {"vi": {"cccd.not_twelve_digits": "không đủ 12 chữ số: {count}", "metric.mobile": "..."},
   *    "en": {"cccd.not_twelve_digits": "not 12 digits: {count}", "metric.mobile": "..."}}
   * Keys: what add_message_words names; "metric.<name>" the human name of a metric (add_metric);
   * "indicator.<id>" the title of an indicator (add_indicator). Both languages must have the same
   * keys, no text may be empty, and a text's {placeholders} must be the same in vi and en: the
   * host refuses (quarantines) a plugin whose catalog breaks these rules, naming the key. */
  const char* messages_json;
} dqa_plugin;

typedef const dqa_plugin* (*dqa_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* DQAUDIT_PLUGIN_ABI_H_ */
