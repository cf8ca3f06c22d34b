namespace Grains.Runtime; internal static class Placeholder { }
