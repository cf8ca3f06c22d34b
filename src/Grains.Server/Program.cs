using Grains.Server;

var app = GrainsServer.Build(args);
await app.RunAsync();
