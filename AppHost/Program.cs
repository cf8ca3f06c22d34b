// The local orchestrator. Today it runs the embedded default: one silo in this process with SQLite
// under ./data, listening on http://127.0.0.1:8000 (override with --urls or Grains__Url). Ctrl+C or
// SIGTERM stops it gracefully: ingest stops, stream partitions drain and checkpoint, grains deactivate.
using Grains.Server;

var app = GrainsServer.Build(args);
await app.RunAsync();
