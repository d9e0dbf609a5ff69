//! Model-based test: seeded random operations as random principals (the platform admin,
//! live parents and subsidiaries, deleted and unknown tenants) against the real server,
//! each answer compared with a small reference model of the rules in docs/api.md.
//!
//! `MTDB_MODEL_SEED=<n>` replays a run (the seed is printed with every failure),
//! `MTDB_MODEL_OPS=<n>` sets its length (`make soak` runs 10,000).
//! `MTDB_MODEL_RENAMES=0` and `MTDB_MODEL_UNICODE=0` leave out renames and the Unicode
//! names, to tell which rule a failure comes from.

mod check;
mod driver;
mod names;
mod ops;
mod reference;
mod reference_tests;
mod rng;
mod tenant;

use std::collections::BTreeMap;

use crate::helpers::{TestApp, BARCLAYS, BARCLAYS_UK, HSBC, HSBC_HK, HSBC_LONDON};
use crate::instances::Fleet;
use check::{check, Messages};
use driver::{who, Driver};
use ops::{generate, Op, Switches};
use reference::{parse_time, Model, Tenant, Who};
use rng::Rng;

/// Fast enough for `make test` (a few seconds), long enough to reach deep states.
const DEFAULT_OPS: usize = 500;

struct Run {
    seed: u64,
    ops: usize,
    switches: Switches,
    model: Model,
    driver: Driver,
    messages: Messages,
    /// How often each (operation, status) happened: the coverage a run reached.
    seen: BTreeMap<(&'static str, String), usize>,
}

#[tokio::test]
async fn model_random_operations_agree_with_the_reference_model() {
    let app = TestApp::spawn().await;
    run_model(vec![app.address.clone()]).await;
}

/// The same model, its requests round-robin over three `mtdb serve` instances behind one
/// PgBouncer in transaction mode with two server connections (docs/scaling.md): each
/// operation may land on another instance and another server connection than the last,
/// and every answer must still be the one server's.
#[tokio::test]
async fn model_random_operations_agree_over_instances_behind_pgbouncer() {
    let fleet = Fleet::start(3, 2).await;
    run_model(fleet.bases()).await;
}

/// Runs the seeded operations against the servers at `bases`, round-robin.
async fn run_model(bases: Vec<String>) {
    let servers = bases.len();
    let seed = env("MTDB_MODEL_SEED").unwrap_or_else(|| uuid::Uuid::new_v4().as_u64_pair().0);
    let ops = env("MTDB_MODEL_OPS").map_or(DEFAULT_OPS, |n| n as usize);
    let switches = Switches {
        renames: env("MTDB_MODEL_RENAMES") != Some(0),
        unicode: env("MTDB_MODEL_UNICODE") != Some(0),
    };
    eprintln!(
        "model test: MTDB_MODEL_SEED={seed} MTDB_MODEL_OPS={ops} {switches:?}, {servers} server(s)"
    );
    let mut run = Run {
        seed,
        ops,
        switches,
        model: Model::default(),
        driver: Driver::new(bases),
        messages: Messages::default(),
        seen: BTreeMap::new(),
    };
    run.load_demo().await;
    let mut rng = Rng::seeded(seed);
    for index in 0..ops {
        let op = generate(&mut rng, &run.model, switches);
        run.step(index, &op).await;
    }
    // A last look at everything, as the admin: each tenant ever made, and the full list.
    let ids: Vec<String> = run.model.tenants.iter().map(|t| t.id.clone()).collect();
    for id in ids {
        run.step(
            ops,
            &Op::Get {
                who: Who::Admin,
                id,
            },
        )
        .await;
    }
    let all = Op::List {
        who: Who::Admin,
        limit: Some(1000),
        offset: None,
        tenant_type: None,
    };
    run.step(ops, &all).await;
    eprintln!(
        "model test: {ops} operations agreed; {} tenants made, {} live",
        run.model.tenants.len(),
        run.model.visible(&Who::Admin).len()
    );
    eprintln!("model test: (operation, status) counts: {:?}", run.seen);
}

impl Run {
    /// Expect, send, compare; the model changes only when the server agreed.
    async fn step(&mut self, index: usize, op: &Op) {
        let expect = self.model.expect(op);
        let reply = self.driver.send(op).await;
        if let Err(diff) = check(&expect, &reply, &self.model, op.kind(), &mut self.messages) {
            panic!("{}", self.failure(index, op, &diff));
        }
        self.model.apply(&expect, reply.body.as_ref());
        let code = reply
            .body
            .as_ref()
            .and_then(|b| b["error"]["code"].as_str());
        let outcome = format!("{} {}", reply.status, code.unwrap_or_default());
        *self
            .seen
            .entry((op.kind(), outcome.trim_end().to_owned()))
            .or_default() += 1;
    }

    fn failure(&self, index: usize, op: &Op, diff: &str) -> String {
        let mut cast = vec![format!("  principal: {}", self.describe_who(who(op)))];
        if let Op::Get { id, .. } | Op::Update { id, .. } | Op::Delete { id, .. } = op {
            cast.push(format!("  target: {}", self.describe(id)));
        }
        if let Op::Create {
            parent: Some(id), ..
        } = op
        {
            cast.push(format!("  parent: {}", self.describe(id)));
        }
        let mut replay = format!("MTDB_MODEL_SEED={} MTDB_MODEL_OPS={}", self.seed, self.ops);
        if !self.switches.renames {
            replay.push_str(" MTDB_MODEL_RENAMES=0");
        }
        if !self.switches.unicode {
            replay.push_str(" MTDB_MODEL_UNICODE=0");
        }
        format!(
            "model test: seed {seed}, op #{index} of {ops}: {op}\n{cast}\n{diff}\n\
             replay: {replay} cargo nextest run -p mtdb-app model",
            seed = self.seed,
            ops = self.ops,
            cast = cast.join("\n"),
        )
    }

    fn describe_who(&self, who: &Who) -> String {
        match who {
            Who::Admin => "the platform admin".to_owned(),
            Who::Tenant(id) => format!("tenant {}", self.describe(id)),
        }
    }

    fn describe(&self, id: &str) -> String {
        let Some(t) = self.model.find(id) else {
            return format!("{id} (unknown)");
        };
        let under = match &t.parent {
            Some(p) => format!(
                "subsidiary of {:?}",
                self.model.find(p).map_or("?", |p| p.name.as_str())
            ),
            None => "parent".to_owned(),
        };
        let state = if t.deleted { "deleted" } else { "live" };
        format!("{id} {:?}, {under}, {state}, version {}", t.name, t.version)
    }

    /// The seeded demo, read as the admin and checked against its fixed ids and names.
    async fn load_demo(&mut self) {
        let all = Op::List {
            who: Who::Admin,
            limit: Some(1000),
            offset: None,
            tenant_type: None,
        };
        let reply = self.driver.send(&all).await;
        let page = reply.body.expect("the demo list");
        let demo = [
            (HSBC, "HSBC", None),
            (HSBC_HK, "HSBC Hong Kong", Some(HSBC)),
            (HSBC_LONDON, "HSBC London", Some(HSBC)),
            (BARCLAYS, "Barclays", None),
            (BARCLAYS_UK, "Barclays UK", Some(BARCLAYS)),
        ];
        let listed = page["tenants"].as_array().expect("tenants");
        assert_eq!(listed.len(), demo.len(), "{page}");
        for (id, name, parent) in demo {
            let t = listed.iter().find(|t| t["tenant_id"] == id).expect(id);
            assert_eq!(t["name"], name);
            assert_eq!(t["parent_tenant_id"].as_str(), parent);
            let text = |field: &str| t[field].as_str().unwrap_or_default().to_owned();
            self.model.tenants.push(Tenant {
                id: id.to_owned(),
                name: name.to_owned(),
                key: name.to_lowercase(),
                parent: parent.map(str::to_owned),
                metadata: t["metadata"].clone(),
                created: parse_time(&text("created_at")),
                created_at: text("created_at"),
                updated_at: text("updated_at"),
                version: 1,
                deleted: false,
            });
        }
        // The model's own order must reproduce the server's from here on.
        self.step(0, &all).await;
    }
}

fn env(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a number")),
    )
}
