import FuzzDriver
import Script

/// The language front end: lexer, parser, and the REPL's incomplete-input check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScript(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzData(bytes, size), as: UTF8.self)
    let file = SourceFile(name: "<fuzz>", text: text)
    _ = try? Lexer.tokenize(file)
    _ = try? Parser.parse(file)
    _ = Parser.needsMoreInput(text)
    return 0
}

@_cdecl("FuzzScript_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzScript)
}
