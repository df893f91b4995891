using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using HelpBot.Storage;

namespace HelpBot.Tests.Storage;

/// <summary>
/// HelpBot ships as a native executable, where plain Dapper (Reflection.Emit) cannot run. Dapper.AOT replaces each call
/// at build time, but leaves some to plain Dapper without a word (for example when an argument's type comes from
/// another source generator). The tests run with the JIT, where such a call still works; this test is what notices it.
/// </summary>
public sealed class AheadOfTimeTests
{
    [Fact]
    public void Every_Dapper_call_in_HelpBot_is_generated_at_build_time_so_none_needs_reflection_emit()
    {
        var plain = PlainDapperCalls(typeof(Database).Assembly.Location).Except(NeedNoGeneratedCode).ToList();
        Assert.Empty(plain);
    }

    [Fact]
    public void The_check_sees_a_plain_Dapper_call_in_an_assembly_that_makes_one()
    {
        // This test assembly calls Dapper directly (its own queries), so the check must find those calls here.
        Assert.Contains("QueryAsync", PlainDapperCalls(typeof(AheadOfTimeTests).Assembly.Location));
    }

    /// <summary>
    /// SqlMapper members that run no query of their own: AsList is a cast; PackListParameters is what the generated code
    /// itself calls to expand <c>IN @ids</c> (it only enumerates the values).
    /// </summary>
    private static readonly string[] NeedNoGeneratedCode = ["AsList", "PackListParameters"];

    /// <summary>The names of Dapper.SqlMapper's members an assembly refers to: each is a call that runs through plain Dapper.</summary>
    private static List<string> PlainDapperCalls(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference
                && metadata.GetTypeReference((TypeReferenceHandle)member.Parent) is var type
                && metadata.GetString(type.Namespace) == "Dapper" && metadata.GetString(type.Name) == "SqlMapper")
            {
                names.Add(metadata.GetString(member.Name));
            }
        }
        return names;
    }
}
