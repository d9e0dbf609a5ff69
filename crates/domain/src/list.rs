use crate::tenant::{Tenant, TenantType};
use crate::validation::ValidationError;

/// How many tenants one page holds: 1 to 1000, 100 unless asked otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimit(u16);

impl PageLimit {
    /// The largest page.
    pub const MAX: u16 = 1000;
    /// The page size when none is asked for.
    pub const DEFAULT: Self = Self(100);

    /// Accepts 1 to [`Self::MAX`].
    ///
    /// # Errors
    /// `limit` out of range.
    pub fn parse(raw: i64) -> Result<Self, ValidationError> {
        u16::try_from(raw)
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(Self)
            .ok_or_else(|| ValidationError::new("limit", "must be between 1 and 1000"))
    }

    /// The number of tenants per page.
    pub const fn get(&self) -> u16 {
        self.0
    }
}

impl Default for PageLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One page of the tenants a principal can see, ordered by `created_at`, then `tenant_id`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListQuery {
    /// How many tenants per page.
    pub limit: PageLimit,
    /// How many tenants to skip; never negative, and small enough for the store.
    pub offset: u64,
    /// Only tenants of this type, when given.
    pub tenant_type: Option<TenantType>,
}

impl ListQuery {
    /// Builds a query from the raw query parameters, with their defaults.
    ///
    /// # Errors
    /// `limit` out of 1 to 1000, or a negative `offset`.
    pub fn parse(
        limit: Option<i64>,
        offset: Option<i64>,
        tenant_type: Option<TenantType>,
    ) -> Result<Self, ValidationError> {
        let limit = limit.map(PageLimit::parse).transpose()?.unwrap_or_default();
        let offset = match offset {
            None => 0,
            Some(n) => {
                u64::try_from(n).map_err(|_| ValidationError::new("offset", "must be 0 or more"))?
            }
        };
        Ok(Self {
            limit,
            offset,
            tenant_type,
        })
    }
}

/// A page of tenants and how many the principal can see in all under the same filter.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantPage {
    /// The tenants of this page, in list order.
    pub tenants: Vec<Tenant>,
    /// How many tenants the principal can see under the filter, on every page.
    pub total_count: u64,
    /// The limit asked for.
    pub limit: PageLimit,
    /// The offset asked for.
    pub offset: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_100_and_0() {
        let q = ListQuery::parse(None, None, None).unwrap();
        assert_eq!((q.limit.get(), q.offset), (100, 0));
    }

    #[test]
    fn limit_is_1_to_1000_inclusive() {
        for ok in [1, 1000] {
            assert_eq!(PageLimit::parse(ok).unwrap().get() as i64, ok);
        }
        for bad in [0, -1, 1001, i64::MAX, i64::MIN] {
            assert_eq!(PageLimit::parse(bad).unwrap_err().field, "limit");
        }
    }

    #[test]
    fn offset_is_never_negative() {
        assert_eq!(
            ListQuery::parse(None, Some(-1), None).unwrap_err().field,
            "offset"
        );
        let q = ListQuery::parse(None, Some(i64::MAX), None).unwrap();
        assert_eq!(q.offset, i64::MAX as u64);
    }
}
