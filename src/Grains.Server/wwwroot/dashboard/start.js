// Starts Blazor with its circuit on a WebSocket and no negotiate request: a negotiate and the socket
// that follows it could reach two different silos behind a plain load balancer, one WebSocket cannot.
// (docs/decisions/0010-web-dashboard.md)
Blazor.start({
  circuit: {
    configureSignalR: function (builder) {
      builder.withUrl('_blazor', { skipNegotiation: true, transport: 1 /* WebSockets */ });
    },
  },
});
