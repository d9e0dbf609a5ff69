//! The metrics listener: `GET /metrics` and nothing else, apart from the API.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

use super::text_format::{prometheus_text, wants_openmetrics, PROMETHEUS_TEXT};
use super::{Metrics, CONTENT_TYPE as OPENMETRICS};

/// Serves `metrics` on `listener` with one worker. Like the API server, it installs no
/// signal handler: its caller stops it through its handle, or drops it.
///
/// # Errors
/// When the listener cannot be handed to the server.
pub fn build_metrics_server(
    listener: TcpListener,
    metrics: Arc<Metrics>,
) -> std::io::Result<Server> {
    let metrics = web::Data::from(metrics);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(metrics.clone())
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(crate::settings::SHUTDOWN_TIMEOUT_SECS)
    .listen(listener)?
    .run();
    Ok(server)
}

/// OpenMetrics when the scraper asks for it (Prometheus does), else the Prometheus text
/// format 0.0.4; `Vary: Accept` either way.
async fn scrape(req: HttpRequest, metrics: web::Data<Metrics>) -> HttpResponse {
    match metrics.render() {
        Ok(text) if wants_openmetrics(req.headers()) => HttpResponse::Ok()
            .content_type(OPENMETRICS)
            .insert_header(("Vary", "Accept"))
            .body(text),
        Ok(text) => HttpResponse::Ok()
            .content_type(PROMETHEUS_TEXT)
            .insert_header(("Vary", "Accept"))
            .body(prometheus_text(&text)),
        Err(e) => {
            tracing::error!(error = %e, "rendering the metrics failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}
