using Grains.Monitoring.Storage;

namespace Grains.Server.Api.Infrastructure;

/// <summary>An issue with the project and organization it belongs to.</summary>
internal sealed record IssueContext(OrganizationRecord Organization, ProjectRecord Project, IssueRecord Issue);
