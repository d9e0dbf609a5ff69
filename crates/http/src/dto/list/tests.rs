use validator::Validate;

use super::*;

fn params(limit: Option<i64>, offset: Option<i64>) -> ListTenantsParams {
    ListTenantsParams {
        limit,
        offset,
        tenant_type: None,
    }
}

/// The one field `validator` refused, and its message.
fn refused(params: &ListTenantsParams) -> Option<(String, String)> {
    let errors = params.validate().err()?;
    let fields = errors.field_errors();
    assert_eq!(fields.len(), 1, "one field at a time here: {errors}");
    let (field, failures) = fields.into_iter().next()?;
    let message = failures.first()?.message.as_deref()?.to_owned();
    Some((field.into_owned(), message))
}

#[test]
fn the_validator_rules_refuse_limit_0_and_1001_and_offset_minus_1() {
    let limit = Some(("limit".to_owned(), "must be between 1 and 1000".to_owned()));
    let offset = Some(("offset".to_owned(), "must be 0 or more".to_owned()));
    assert_eq!(refused(&params(Some(0), None)), limit);
    assert_eq!(refused(&params(Some(1001), None)), limit);
    assert_eq!(refused(&params(Some(i64::MIN), None)), limit);
    assert_eq!(refused(&params(None, Some(-1))), offset);
    assert_eq!(refused(&params(None, Some(i64::MIN))), offset);
}

#[test]
fn the_validator_rules_accept_the_bounds_and_absent_values() {
    for (limit, offset) in [
        (None, None),
        (Some(1), Some(0)),
        (Some(1000), Some(i64::MAX)),
    ] {
        assert_eq!(
            refused(&params(limit, offset)),
            None,
            "{limit:?} {offset:?}"
        );
    }
}

#[test]
fn the_query_is_refused_at_the_dto_with_the_first_field_in_order() {
    let answer = |query: &str| {
        let query = QueryParams::parse(query).expect("a decodable query");
        ListTenantsParams::try_from(&query)
            .err()
            .map(|err| err.to_string())
    };
    assert_eq!(
        answer("offset=-1&limit=1001").as_deref(),
        Some("limit: must be between 1 and 1000")
    );
    assert_eq!(
        answer("offset=-1&limit=5").as_deref(),
        Some("offset: must be 0 or more")
    );
    assert_eq!(answer("limit=1000&offset=0"), None);
}

#[test]
fn integers_beyond_64_bits_are_out_of_range_not_malformed() {
    let answer = |query: &str| {
        let query = QueryParams::parse(query).expect("a decodable query");
        ListTenantsParams::try_from(&query)
            .err()
            .map(|err| err.to_string())
    };
    let huge = "99999999999999999999";
    assert_eq!(
        answer(&format!("limit={huge}")).as_deref(),
        Some("limit: must be between 1 and 1000")
    );
    assert_eq!(
        answer(&format!("limit=-{huge}")).as_deref(),
        Some("limit: must be between 1 and 1000")
    );
    assert_eq!(
        answer(&format!("offset={huge}")).as_deref(),
        Some("offset: must be at most 9223372036854775807")
    );
    assert_eq!(
        answer(&format!("offset=-{huge}")).as_deref(),
        Some("offset: must be 0 or more")
    );
    for junk in ["ten", "", "-", "1.5", "1e3"] {
        assert_eq!(
            answer(&format!("limit={junk}")).as_deref(),
            Some("limit: must be an integer"),
            "{junk}"
        );
    }
}

#[test]
fn a_validated_query_always_makes_a_domain_query_and_a_refused_one_never_does() {
    let values = [
        i64::MIN,
        -1,
        0,
        1,
        999,
        1000,
        1001,
        65_535,
        65_536,
        i64::MAX,
    ];
    for limit in values.map(Some).into_iter().chain([None]) {
        for offset in values.map(Some).into_iter().chain([None]) {
            let dto = params(limit, offset).validate().is_ok();
            let domain = ListQuery::try_from(params(limit, offset)).is_ok();
            assert_eq!(dto, domain, "limit {limit:?}, offset {offset:?}");
        }
    }
}
