//! `SECURITY DEFINER` functions run as their owner with the caller's `search_path`
//! unless they pin their own; `pg_temp` is searched first unless named, so a pinned path
//! must name it last, or a caller's temporary table shadows the function's tables.

use tokio_postgres::Transaction;

use super::finding::{Finding, FindingKind as K};

/// Every `SECURITY DEFINER` function outside the system schemas and extensions, whether
/// or not an application role may call it today: triggers call theirs without an
/// `EXECUTE` grant, and a grant can come later.
pub(super) async fn definer_functions(
    tx: &Transaction<'_>,
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select format('%I.%I(%s)', n.nspname, p.proname, \
                           pg_get_function_identity_arguments(p.oid)), \
                    coalesce(p.proconfig, '{}') \
             from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
             where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema') \
               and not exists (select from pg_depend d \
                               where d.classid = 'pg_proc'::regclass and d.objid = p.oid \
                                 and d.deptype = 'e') \
             order by 1",
            &[],
        )
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let function: String = row.try_get(0)?;
        let config: Vec<String> = row.try_get(1)?;
        let message = match search_path(&config) {
            SearchPath::TempLast => continue,
            SearchPath::Unpinned => "is SECURITY DEFINER without a pinned search_path",
            SearchPath::TempNotLast => {
                "is SECURITY DEFINER and its search_path does not put pg_temp last: \
                 a temporary object can shadow its tables"
            }
        };
        found.push(Finding::new(
            K::UnpinnedSearchPath,
            format!("function {function}"),
            message,
            format!("alter function {function} set search_path = pg_catalog, public, pg_temp"),
        ));
    }
    Ok(found)
}

#[derive(Debug, PartialEq, Eq)]
enum SearchPath {
    Unpinned,
    TempNotLast,
    TempLast,
}

/// Reads `search_path=a, "b", pg_temp` from a function's `proconfig`.
fn search_path(config: &[String]) -> SearchPath {
    let Some(value) = config.iter().find_map(|c| c.strip_prefix("search_path=")) else {
        return SearchPath::Unpinned;
    };
    let last = value
        .rsplit(',')
        .next()
        .map(|s| s.trim().trim_matches('"'))
        .unwrap_or_default();
    if last == "pg_temp" {
        SearchPath::TempLast
    } else {
        SearchPath::TempNotLast
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(config: &[&str]) -> SearchPath {
        search_path(&config.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn pg_temp_must_be_named_last() {
        assert_eq!(path(&[]), SearchPath::Unpinned);
        assert_eq!(path(&["work_mem=64kB"]), SearchPath::Unpinned);
        assert_eq!(
            path(&["search_path=pg_catalog, public"]),
            SearchPath::TempNotLast
        );
        assert_eq!(
            path(&["search_path=pg_temp, pg_catalog"]),
            SearchPath::TempNotLast
        );
        assert_eq!(path(&["search_path=\"\""]), SearchPath::TempNotLast);
        assert_eq!(
            path(&["search_path=pg_catalog, public, pg_temp"]),
            SearchPath::TempLast
        );
        assert_eq!(
            path(&["work_mem=64kB", "search_path=\"$user\", \"pg_temp\""]),
            SearchPath::TempLast
        );
    }
}
