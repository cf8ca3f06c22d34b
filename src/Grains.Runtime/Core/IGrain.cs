namespace Grains.Runtime;

/// <summary>
/// Marker for grain interfaces. Every method of a grain interface returns <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>;
/// arguments and results must be serializable with System.Text.Json (calls between silos are
/// serialized; local calls pass them by reference, so treat them as immutable).
/// </summary>
public interface IGrain;
