using System.Text;
using static Grains.Server.Tests.Items.ItemEnvelopes;

namespace Grains.Server.Tests.Items;

/// <summary>
/// An SDK retries an envelope it got no answer for (timeout, connection reset) with the same bytes:
/// the event is stored once by its id, and its attachments are stored and counted once too.
/// </summary>
public sealed class RetriedEnvelopeTests : IAsyncLifetime
{
    private readonly ItemServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Attachments_of_an_envelope_sent_twice_are_listed_and_counted_once()
    {
        var eventId = NewEventId();
        var log = Encoding.UTF8.GetBytes("GET /checkout 500\n");
        var state = Encoding.UTF8.GetBytes("{\"cart\":3}");
        var envelope = Envelope(
            Header(eventId),
            Json("event", ErrorEvent(eventId, "CheckoutError", "card declined")),
            Attachment("request.log", log),
            Attachment("state.json", state, "application/json"));

        Assert.Equal(200, (await _server.PostEnvelopeAsync(envelope)).Status);
        Assert.Equal(200, (await _server.PostEnvelopeAsync(envelope)).Status);

        var attachments = (await _server.GetJsonAsync($"/api/0/projects/acme/web/events/{eventId}/attachments/")).AsArray();
        Assert.Equal(["request.log", "state.json"], attachments.Select(a => a!["name"]!.GetValue<string>()));
        var outcomes = await _server.OutcomesAsync();
        Assert.Equal(2, outcomes["attachment_item"]);
        Assert.Equal(log.Length + state.Length, outcomes["attachment"]);
    }

    [Fact]
    public async Task A_later_envelope_adding_another_attachment_to_the_event_is_kept()
    {
        var eventId = NewEventId();
        Assert.Equal(200, (await _server.PostEnvelopeAsync(Envelope(Header(eventId), Json("event", ErrorEvent(eventId, "Error", "boom")), Attachment("first.txt", "one"u8.ToArray())))).Status);
        Assert.Equal(200, (await _server.PostEnvelopeAsync(Envelope(Header(eventId), Attachment("second.txt", "two"u8.ToArray())))).Status);

        var attachments = (await _server.GetJsonAsync($"/api/0/projects/acme/web/events/{eventId}/attachments/")).AsArray();
        Assert.Equal(["first.txt", "second.txt"], attachments.Select(a => a!["name"]!.GetValue<string>()));
    }
}
