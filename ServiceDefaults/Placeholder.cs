namespace Microsoft.Extensions.Hosting; internal static class Placeholder { }
