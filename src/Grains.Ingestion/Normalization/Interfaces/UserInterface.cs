using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>user</c> interface, with the client address inferred where the SDK asks for it.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class UserInterface
{
    internal static void NormalizeUser(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var node = ev["user"];
        if (node is not null and not JsonObject)
        {
            WithPath(meta, "user", () => meta.Invalid("expected an object", node));
            ev.Remove("user");
        }

        var user = ev["user"] as JsonObject;
        if (user?["id"] is { } id && id.GetValueKind() == JsonValueKind.Number)
        {
            user["id"] = id.ToJsonString();
        }

        var ip = user?["ip_address"];
        var inferIp = (ev["sdk"] as JsonObject)?["settings"]?["infer_ip"]?.GetValueKind() == JsonValueKind.String
            ? ev["sdk"]!["settings"]!["infer_ip"]!.GetValue<string>()
            : null;
        if (ip is null)
        {
            // SDKs that cannot know their public address ask for inference: explicitly with
            // settings.infer_ip, or implicitly by being a browser/mobile platform (legacy rule).
            var platform = ev["platform"]?.GetValue<string>();
            var infer = inferIp == "auto" || (inferIp is null && platform is "javascript" or "cocoa" or "objc");
            if (infer && context.ClientIp is not null)
            {
                user ??= (JsonObject)(ev["user"] = new JsonObject());
                user["ip_address"] = context.ClientIp.ToString();
            }

            return;
        }

        var text = ip.GetValueKind() == JsonValueKind.String ? ip.GetValue<string>() : null;
        if (text == "{{auto}}")
        {
            if (context.ClientIp is not null && inferIp != "never")
            {
                user!["ip_address"] = context.ClientIp.ToString();
            }
            else
            {
                user!.Remove("ip_address");
            }
        }
        else if (text is null || !IPAddress.TryParse(text, out _))
        {
            user!.Remove("ip_address");
            meta.Push("user");
            WithPath(meta, "ip_address", () => meta.Invalid("invalid IP address", ip));
            meta.Pop();
        }
    }
}
