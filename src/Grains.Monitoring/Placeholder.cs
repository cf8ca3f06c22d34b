namespace Grains.Monitoring; internal static class Placeholder { }
