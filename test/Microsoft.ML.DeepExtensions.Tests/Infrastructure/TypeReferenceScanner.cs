using System.Reflection;
using System.Reflection.Emit;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>
/// Lists the types a type refers to: its base type, interfaces, attributes, generic constraints, fields, properties,
/// method signatures, catch clauses, and every type, method and field token in its method bodies (IL). Used to keep the engine free of ML.NET.
/// </summary>
public static class TypeReferenceScanner
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type referenced by <paramref name="type"/> (generic arguments and element types included).</summary>
    public static IEnumerable<Type> ReferencedTypes(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || !found.Add(t)) return;
            if (t.HasElementType) Add(t.GetElementType());
            if (t.IsGenericType) foreach (var a in t.GetGenericArguments()) Add(a);
        }

        void AddAttributes(IEnumerable<CustomAttributeData> attributes)
        {
            foreach (var a in attributes)
            {
                Add(a.AttributeType);
                foreach (var arg in a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue)))
                {
                    Add(arg.ArgumentType);
                    if (arg.Value is Type t) Add(t);
                }
            }
        }

        void AddGenericConstraints(Type[] parameters)
        {
            foreach (var p in parameters.Where(p => p.IsGenericParameter))
                foreach (var c in p.GetGenericParameterConstraints()) Add(c);
        }

        Add(type.BaseType);
        AddAttributes(type.GetCustomAttributesData());
        if (type.IsGenericTypeDefinition) AddGenericConstraints(type.GetGenericArguments());
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(All)) { Add(f.FieldType); AddAttributes(f.GetCustomAttributesData()); }
        foreach (var p in type.GetProperties(All)) { Add(p.PropertyType); AddAttributes(p.GetCustomAttributesData()); }
        foreach (var e in type.GetEvents(All)) Add(e.EventHandlerType);
        var methods = type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All));
        foreach (var m in methods)
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            AddAttributes(m.GetCustomAttributesData());
            if (m.IsGenericMethodDefinition) AddGenericConstraints(m.GetGenericArguments());
            foreach (var p in m.GetParameters()) { Add(p.ParameterType); AddAttributes(p.GetCustomAttributesData()); }
            var body = m.GetMethodBody();
            if (body is null) continue;
            foreach (var l in body.LocalVariables) Add(l.LocalType);
            foreach (var clause in body.ExceptionHandlingClauses)
                if (clause.Flags == ExceptionHandlingClauseOptions.Clause) Add(clause.CatchType);
            foreach (var member in BodyReferences(m, body.GetILAsByteArray()!))
            {
                switch (member)
                {
                    case Type t: Add(t); break;
                    case MethodBase mb: Add(mb.DeclaringType); if (mb is MethodInfo r) Add(r.ReturnType); foreach (var p in mb.GetParameters()) Add(p.ParameterType); break;
                    case FieldInfo fi: Add(fi.DeclaringType); Add(fi.FieldType); break;
                }
            }
        }
        return found;
    }

    private static IEnumerable<MemberInfo> BodyReferences(MethodBase method, byte[] il)
    {
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int pos = 0;
        while (pos < il.Length)
        {
            short value = il[pos] == 0xFE ? (short)(0xFE00 | il[pos + 1]) : il[pos];
            pos += il[pos] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    int token = BitConverter.ToInt32(il, pos);
                    MemberInfo? member = null;
                    try { member = method.Module.ResolveMember(token, typeArgs, methodArgs); }
                    catch (ArgumentException) { }
                    if (member is not null) yield return member;
                    pos += 4;
                    break;
                case OperandType.InlineSwitch:
                    int count = BitConverter.ToInt32(il, pos);
                    pos += 4 + 4 * count;
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar: pos += 1; break;
                case OperandType.InlineVar: pos += 2; break;
                case OperandType.InlineI8:
                case OperandType.InlineR: pos += 8; break;
                default: pos += 4; break;
            }
        }
    }
}
