//! A tenant as the model knows it, and who a request acts as.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// Who a request acts as. A tenant principal's id may be live, deleted or unknown.
#[derive(Clone, Debug, PartialEq)]
pub enum Who {
    Admin,
    Tenant(String),
}

#[derive(Clone, Debug)]
pub struct Tenant {
    pub id: String,
    /// The name as stored (trimmed, NFC) and its uniqueness key (NFKC + case folding).
    pub name: String,
    pub key: String,
    pub parent: Option<String>,
    pub metadata: Value,
    /// As the server returned them; `created` orders lists.
    pub created_at: String,
    pub created: DateTime<Utc>,
    pub updated_at: String,
    pub version: u64,
    pub deleted: bool,
}

impl Tenant {
    pub fn tenant_type(&self) -> &'static str {
        if self.parent.is_some() {
            "subsidiary"
        } else {
            "parent"
        }
    }

    /// The tenant JSON every endpoint returns.
    pub fn to_json(&self) -> Value {
        json!({
            "tenant_id": self.id,
            "name": self.name,
            "parent_tenant_id": self.parent,
            "tenant_type": self.tenant_type(),
            "metadata": self.metadata,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        })
    }
}

pub fn parse_time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}
