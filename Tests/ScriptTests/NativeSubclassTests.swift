import XCTest
@testable import Script

/// A test-only native base class showing the extension API the torch bindings use:
/// `Registry` records every attribute assigned to it (like `nn.Module.__setattr__` registering
/// parameters and children), exposes native methods, and its `__call__` calls back into the
/// script-defined `forward`.
final class Registry: NativeObject {
    var typeName: String { "Registry" }
    /// Assigned attributes in order, as the native side stores them.
    var entries: [(String, Value)] = []
    let tag: String

    init(tag: String) { self.tag = tag }

    func setAttribute(_ name: String, to value: Value, context: NativeContext) throws -> Bool {
        // Take ints (like parameters) and other Registry objects (like child modules); leave the rest to the script.
        switch value {
        case .int:
            entries.append((name, value))
            return true
        case .native(let n) where n is Registry:
            entries.append((name, value))
            return true
        case .instance(let i) where i.nativeBase is Registry:
            entries.append((name, value))
            return true
        default:
            return false
        }
    }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        if let e = entries.last(where: { $0.0 == name }) { return e.1 }
        switch name {
        case "tag": return .str(tag)
        case "names":
            return .builtin(BuiltinFunction("names") { [self] _ in .list(ListObject(self.entries.map { .str($0.0) })) })
        case "describe":
            // A native method that calls a script-overridable method on the receiver.
            return .builtin(BuiltinFunction("describe") { args in
                let kind = try args.interpreter.callMethod(context.receiver, "kind", [])
                return .str("\(self.tag):\(try args.interpreter.str(kind))")
            })
        case "kind": return .builtin(BuiltinFunction("kind") { _ in .str("native") })
        default: return nil
        }
    }

    func attributeNames() -> [String] { ["tag", "names", "describe", "kind"] + entries.map(\.0) }

    func call(_ arguments: Arguments, context: NativeContext) throws -> Value {
        // Like Module.__call__: run hooks natively, then the script's forward.
        let out = try arguments.interpreter.callMethod(context.receiver, "forward", arguments.positional, arguments.keywords)
        return .tuple([.str("called"), out])
    }

    func repr(context: NativeContext) throws -> String { "Registry(\(tag), \(entries.count) entries)" }

    func binaryOperation(_ op: BinaryOperator, _ other: Value, reflected: Bool, context: NativeContext) throws -> Value? {
        guard op == .add, case .int(let k) = other else { return nil }
        return .str(reflected ? "\(k)+\(tag)" : "\(tag)+\(k)")
    }
}

final class NativeSubclassTests: XCTestCase {
    private func makeSession() -> (Session, CapturedOutput) {
        let out = CapturedOutput()
        let interp = Interpreter(stdout: out, stderr: out)
        let registryClass = ClassObject(name: "Registry", base: BuiltinTypes.object, moduleName: "testnative", native: NativeClassSpec(
            construct: { args, _ in Registry(tag: try args.string(0, "tag", default: "root")) },
            matches: { $0 is Registry }))
        interp.modules.register("testnative") { _ in
            let m = Module(name: "testnative")
            m.set("Registry", .cls(registryClass))
            m.addFunction("count") { a in
                guard case .instance(let i) = try a.required(0, "obj"), let r = i.nativeBase as? Registry else {
                    throw ScriptError.typeError("count() needs a Registry subclass instance")
                }
                return .int(r.entries.count)
            }
            return m
        }
        interp.modules.register("testnative.sub.deep") { _ in
            let m = Module(name: "testnative.sub.deep")
            m.set("ANSWER", .int(42))
            return m
        }
        return (Session(interpreter: interp), out)
    }

    func testScriptSubclassOfNativeClass() throws {
        let (session, out) = makeSession()
        try session.execute("""
        import testnative
        from testnative import Registry
        class Net(Registry):
            def __init__(self, scale):
                super().__init__("net")
                self.scale = scale          # int: taken by the native base
                self.label = "script-side"  # str: stays in the instance dict
                self.child = Registry("leaf")
            def forward(self, x, bias=0):
                return x * self.scale + bias
            def kind(self):
                return "script"
        n = Net(3)
        print(n.scale, n.label, n.tag, n.names())
        print(n(5), n(5, bias=1))
        print(n.describe(), testnative.count(n), isinstance(n, Registry), isinstance(n, Net))
        print(n + 1, 2 + n, repr(n), repr(n.child))
        r = Registry("plain")
        print(isinstance(r, Registry), type(r).__name__, r.tag)
        """, filename: "net.mlus")
        XCTAssertEqual(out.take(), """
        3 script-side net ['scale', 'child']
        ('called', 15) ('called', 16)
        net:script 2 True True
        net+1 2+net Registry(net, 2 entries) Registry(leaf, 0 entries)
        True Registry plain

        """)
    }

    func testSubclassWithoutInitConstructsNativeBaseFromArguments() throws {
        let (session, out) = makeSession()
        try session.execute("""
        from testnative import Registry
        class Leaf(Registry):
            def forward(self, x):
                return -x
        leaf = Leaf("auto")
        print(leaf.tag, leaf(4))
        """)
        XCTAssertEqual(out.take(), "auto ('called', -4)\n")
    }

    func testNativeErrorsAreCatchableScriptExceptions() throws {
        let (session, out) = makeSession()
        try session.execute("""
        import testnative
        try:
            testnative.count(5)
        except TypeError as e:
            print("caught", e)
        """)
        XCTAssertEqual(out.take(), "caught count() needs a Registry subclass instance\n")
    }

    func testDottedNativeModulesCreateParentPackages() throws {
        let (session, out) = makeSession()
        try session.execute("""
        import testnative.sub.deep as d
        import testnative.sub.deep
        print(d.ANSWER, testnative.sub.deep.ANSWER)
        from testnative.sub.deep import ANSWER
        print(ANSWER)
        """)
        XCTAssertEqual(out.take(), "42 42\n42\n")
    }

    func testNativeCodeCallsScriptFunctions() throws {
        let (session, _) = makeSession()
        try session.execute("def triple(x, k=3):\n    return x * k\n")
        guard let f = session.global("triple") else { return XCTFail("triple not defined") }
        let r = try session.interpreter.call(f, [.int(4)], [("k", .int(5))])
        guard case .int(20) = r else { return XCTFail("expected 20, got \(r)") }
    }
}
