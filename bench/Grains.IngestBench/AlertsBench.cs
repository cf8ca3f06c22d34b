using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Grains.IngestBench;

/// <summary>
/// Alerts mode of the ingest bench (issue 12). Two questions, each on a fresh embedded server:
/// (1) what do alert rules cost ingest: the same closed loop without rules (the project's default rule
/// deleted) and with <see cref="AlertsBenchOptions.Rules"/> rules of every kind, accepted/s and
/// processed/s side by side; (2) how long from an event's 200 to its webhook: a steady stream of new
/// issues, each firing a first-seen rule with the webhooks plugin, timed at a receiver in this process.
/// </summary>
public sealed class AlertsBench(AlertsBenchOptions options, string root)
{
    private const string Project = "/api/0/projects/default/default";
    private readonly Corpus _corpus = new(1000, seed: 7);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = AlertsBenchOptions.Parse(args);
        var root = BenchOptions.FindRoot();
        var bench = new AlertsBench(options, root);
        var markdown = await bench.MeasureAsync();
        await ResultsFile.WriteAsync(Path.Combine(root, options.Output), markdown, options.Write);
        return 0;
    }

    private async Task<string> MeasureAsync()
    {
        var machine = Machine.Describe();
        Console.WriteLine(machine);
        await using var receiver = await WebhookReceiver.StartAsync();

        // Twice each, alternating (A B A B): the first server of a run is slower (cold disk cache and
        // JIT of the bench itself), which a single pair would charge to whichever goes first.
        var runs = new List<(int Rules, double Accepted, double Processed, string Row)>();
        foreach (var rules in new[] { 0, options.Rules, 0, options.Rules })
        {
            var (accepted, processed, row) = await ThroughputAsync(receiver, rules);
            runs.Add((rules, accepted, processed, row));
        }

        var without = (Accepted: runs.Where(r => r.Rules == 0).Average(r => r.Accepted), Processed: runs.Where(r => r.Rules == 0).Average(r => r.Processed));
        var with = (Accepted: runs.Where(r => r.Rules != 0).Average(r => r.Accepted), Processed: runs.Where(r => r.Rules != 0).Average(r => r.Processed));
        var latency = await LatencyAsync();

        return $"""
            # Alerts benchmark

            {machine}
            Server build: `{Path.GetRelativePath(root, ServerProcess.ServerDll(root))}` at {Git.Describe(root)}.

            Command: `bash bench/run-alerts.sh` (`Grains.IngestBench alerts`). Every run starts a fresh embedded server (SQLite).
            The load generator and the webhook receiver run on the same 2 cores as the server.

            ## Ingest with and without alert rules

            The same closed loop, twice each in the order no rules, rules, no rules, rules ({options.Connections} connections, {options.Duration.TotalSeconds:0} s after a 3 s warm-up, the ingest bench's
            realistic 5 KB envelopes over 1,000 distinct stack traces, so about 1,000 new issues). "No rules": the project's default
            rule deleted. "{options.Rules} rules": first seen, regression, reappeared, event frequency (count and percent change), unique-user
            frequency, and first-seen rules behind level, tag, event-attribute, occurrence and age filters, every one with the webhooks
            plugin as its action (first-seen rules fire for each new issue; the receiver is in the bench process).

            | rules | accepted/s | processed/s | p50 | p99 | firings delivered | peak RSS |
            |---|---|---|---|---|---|---|
            {string.Join("\n", runs.Select(r => r.Row))}

            **Ratio with {options.Rules} rules / without, means of the two runs each (accepted/s): {with.Accepted:N0} / {without.Accepted:N0} = {with.Accepted / without.Accepted:0.00}; processed/s: {with.Processed:N0} / {without.Processed:N0} = {with.Processed / without.Processed:0.00}.**

            ## From an event's 200 to its webhook

            {options.Firings:N0} new issues at {options.Rate} events/s (open loop), each firing one first-seen rule whose action is the
            webhooks plugin. Delay = arrival of the webhook POST carrying the event's id at the receiver − the moment the event's
            request was answered 200 (one clock: the bench process).

            | firings | arrived | duplicates | p50 | p99 | max |
            |---|---|---|---|---|---|
            | {latency.Sent:N0} | {latency.Arrived:N0} | {latency.Duplicates:N0} | {latency.P50:0.0} ms | {latency.P99:0.0} ms | {latency.Max:0.0} ms |
            """;
    }

    private async Task<(double Accepted, double Processed, string Row)> ThroughputAsync(WebhookReceiver receiver, int rules)
    {
        await using var server = await ServerProcess.StartGrainsAsync(root);
        await ConfigureAsync(server, receiver, rules == 0 ? [] : Rules(rules));
        var url = server.IngestUrl(server.ProjectId, server.PublicKey);
        var delivered = receiver.Deliveries.Count;
        var clock = Stopwatch.StartNew();
        var result = await Load.RunClosedAsync(url, _corpus, options.Connections, TimeSpan.FromSeconds(3), options.Duration);
        var total = result.Accepted + result.WarmupAccepted;
        var elapsed = await server.WaitForCountAsync(total, TimeSpan.FromMinutes(5), clock);
        var processed = total / elapsed.TotalSeconds;
        // Deliveries trail processing: wait (bounded) until the outbox has nothing pending.
        var outboxDeadline = DateTime.UtcNow.AddMinutes(2);
        while ((await server.ApiAsync(HttpMethod.Get, $"{Project}/alert-deliveries/?status=pending")).GetArrayLength() > 0 && DateTime.UtcNow < outboxDeadline)
        {
            await Task.Delay(500);
        }

        var dead = (await server.ApiAsync(HttpMethod.Get, $"{Project}/alert-deliveries/?status=dead")).GetArrayLength();
        var firings = receiver.Deliveries.Count - delivered;
        Console.WriteLine($"{rules} rules: outbox {(await server.ApiAsync(HttpMethod.Get, $"{Project}/alert-deliveries/")).GetArrayLength()} deliveries, {dead} dead");
        Console.WriteLine($"{rules} rules: {result.Throughput:N0}/s accepted, {processed:N0}/s processed, {firings} webhooks");
        var row = $"| {(rules == 0 ? "no rules" : $"{rules} rules")} | {result.Throughput:N0}/s ({result.Accepted:N0} in {result.Duration.TotalSeconds:0} s, {result.Failed} failed) | {processed:N0}/s ({total:N0} in {elapsed.TotalSeconds:0.0} s) | {result.Percentile(0.5):0.0} ms | {result.Percentile(0.99):0.0} ms | {firings:N0} ({dead} dead) | {server.PeakRssMb():N0} MB |";
        return (result.Throughput, processed, row);
    }

    private async Task<(int Sent, int Arrived, int Duplicates, double P50, double P99, double Max)> LatencyAsync()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await ServerProcess.StartGrainsAsync(root);
        await ConfigureAsync(server, receiver, [FirstSeenWebhook("first seen → webhook")]);
        var url = server.IngestUrl(server.ProjectId, server.PublicKey);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // Warm-up: one alert end to end before anything is timed.
        await SendAsync(http, url, _corpus.NextEnvelope(uniqueIssue: "warmup"));
        var warmDeadline = DateTime.UtcNow.AddSeconds(60);
        while (receiver.ArrivedAt.IsEmpty && DateTime.UtcNow < warmDeadline)
        {
            await Task.Delay(50);
        }

        var answeredAt = new ConcurrentDictionary<string, long>();
        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task>(options.Firings);
        for (var i = 0; i < options.Firings; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / options.Rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var body = _corpus.NextEnvelope(uniqueIssue: $"latency{i}");
            sends.Add(Task.Run(async () =>
            {
                var eventId = EventId(body);
                if (await SendAsync(http, url, body))
                {
                    answeredAt[eventId] = Stopwatch.GetTimestamp();
                }
            }));
        }

        await Task.WhenAll(sends);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (answeredAt.Keys.Any(id => !receiver.ArrivedAt.ContainsKey(id)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var delays = answeredAt
            .Where(a => receiver.ArrivedAt.ContainsKey(a.Key))
            .Select(a => Stopwatch.GetElapsedTime(a.Value, receiver.ArrivedAt[a.Key]).TotalMilliseconds)
            .Order()
            .ToArray();
        double Percentile(double p) => delays.Length == 0 ? double.NaN : delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(p * delays.Length) - 1)];
        var duplicates = receiver.Deliveries.Values.Sum(n => n - 1);
        Console.WriteLine($"latency: {delays.Length} of {answeredAt.Count} arrived, p50 {Percentile(0.5):0.0} ms, p99 {Percentile(0.99):0.0} ms, {duplicates} duplicates");
        return (answeredAt.Count, delays.Length, duplicates, Percentile(0.5), Percentile(0.99), delays.Length == 0 ? double.NaN : delays[^1]);
    }

    private static async Task<bool> SendAsync(HttpClient http, string url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-sentry-envelope");
        using var response = await http.PostAsync(url, content);
        return response.IsSuccessStatusCode;
    }

    /// <summary>The event id of an envelope from its header line.</summary>
    private static string EventId(byte[] envelope)
    {
        var end = Array.IndexOf(envelope, (byte)'\n');
        using var header = JsonDocument.Parse(envelope.AsMemory(0, end));
        return header.RootElement.GetProperty("event_id").GetString()!;
    }

    /// <summary>Deletes the project's rules (the default one), sets up the webhooks plugin and adds <paramref name="rules"/>.</summary>
    private static async Task ConfigureAsync(ServerProcess server, WebhookReceiver receiver, IReadOnlyList<string> rules)
    {
        foreach (var rule in (await server.ApiAsync(HttpMethod.Get, $"{Project}/rules/")).EnumerateArray())
        {
            await server.ApiAsync(HttpMethod.Delete, $"{Project}/rules/{rule.GetProperty("id").GetString()}/");
        }

        await server.ApiAsync(HttpMethod.Put, $"{Project}/plugins/webhooks/", JsonSerializer.Serialize(new { urls = receiver.Url }));
        await server.ApiAsync(HttpMethod.Post, $"{Project}/plugins/webhooks/");
        foreach (var rule in rules)
        {
            await server.ApiAsync(HttpMethod.Post, $"{Project}/rules/", rule);
        }
    }

    private const string Webhooks = """{"id":"sentry.rules.actions.notify_event_service.NotifyEventServiceAction","service":"webhooks"}""";
    private const string FirstSeen = """{"id":"sentry.rules.conditions.first_seen_event.FirstSeenEventCondition"}""";

    private static string FirstSeenWebhook(string name) => Rule(name, "all", [FirstSeen], []);

    private static string Rule(string name, string actionMatch, string[] conditions, string[] filters) =>
        $$"""{"name":{{JsonSerializer.Serialize(name)}},"actionMatch":"{{actionMatch}}","filterMatch":"all","frequency":30,"conditions":[{{string.Join(',', conditions)}}],"filters":[{{string.Join(',', filters)}}],"actions":[{{Webhooks}}]}""";

    /// <summary>Rules of every kind (cycled when more are asked for than kinds exist, with distinct names and thresholds).</summary>
    private static IReadOnlyList<string> Rules(int count)
    {
        var kinds = new Func<int, string>[]
        {
            i => FirstSeenWebhook($"new issue {i}"),
            i => Rule($"regression {i}", "all", ["""{"id":"sentry.rules.conditions.regression_event.RegressionEventCondition"}"""], []),
            i => Rule($"reappeared {i}", "all", ["""{"id":"sentry.rules.conditions.reappeared_event.ReappearedEventCondition"}"""], []),
            i => Rule($"busy hour {i}", "all", [$$"""{"id":"sentry.rules.conditions.event_frequency.EventFrequencyCondition","value":{{100_000 + i}},"interval":"1h","comparisonType":"count"}"""], []),
            i => Rule($"spiking {i}", "all", [$$"""{"id":"sentry.rules.conditions.event_frequency.EventFrequencyCondition","value":{{500 + i}},"interval":"1h","comparisonType":"percent","comparisonInterval":"1d"}"""], []),
            i => Rule($"many users {i}", "all", [$$"""{"id":"sentry.rules.conditions.event_frequency.EventUniqueUserFrequencyCondition","value":{{100_000 + i}},"interval":"1d","comparisonType":"count"}"""], []),
            i => Rule($"fatal {i}", "all", [FirstSeen], ["""{"id":"sentry.rules.filters.level.LevelFilter","match":"gte","level":"50"}"""]),
            i => Rule($"customer c1 {i}", "all", [$$"""{"id":"sentry.rules.conditions.event_frequency.EventFrequencyCondition","value":{{1000 + i}},"interval":"1m","comparisonType":"count"}"""], ["""{"id":"sentry.rules.filters.tagged_event.TaggedEventFilter","key":"customer","match":"eq","value":"c1"}"""]),
            i => Rule($"never error {i}", "all", [FirstSeen], ["""{"id":"sentry.rules.filters.event_attribute.EventAttributeFilter","attribute":"exception.type","match":"eq","value":"NeverError"}"""]),
            i => Rule($"old and busy {i}", "any", [$$"""{"id":"sentry.rules.conditions.event_frequency.EventFrequencyCondition","value":{{100_000 + i}},"interval":"5m","comparisonType":"count"}"""], ["""{"id":"sentry.rules.filters.issue_occurrences.IssueOccurrencesFilter","value":1000000}""", """{"id":"sentry.rules.filters.age_comparison.AgeComparisonFilter","comparison_type":"older","value":1,"time":"week"}"""]),
        };
        return Enumerable.Range(0, count).Select(i => kinds[i % kinds.Length](i)).ToList();
    }
}
