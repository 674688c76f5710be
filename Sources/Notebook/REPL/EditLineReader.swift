import CEdit
import Foundation

/// The terminal line editor: libedit (emacs keys), persistent history, Tab completion, auto-indent.
///
/// libedit calls back through C function pointers that cannot capture context, so the reader in use is
/// kept in `EditLineReader.active` (the REPL has one terminal, hence one reader).
public final class EditLineReader: LineReader {
    nonisolated(unsafe) static var active: EditLineReader?

    let editLine: OpaquePointer
    let history: OpaquePointer
    let historyPath: String?
    let completer: Completer?
    var prompt: UnsafeMutablePointer<CChar>

    /// - Parameters:
    ///   - historyPath: the history file, read now and rewritten after each entry; nil keeps no history.
    ///   - completer: answers Tab; nil makes Tab insert four spaces.
    /// - Returns: nil when libedit cannot start (e.g. no terminal).
    public init?(historyPath: String?, completer: Completer?) {
        Self.useUTF8Locale()
        guard let history = history_init() else { return nil }
        guard let editLine = el_init("mlus", stdin, stdout, stderr) else {
            history_end(history)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.historyPath = historyPath
        self.completer = completer
        self.prompt = strdup("") ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)

        mlus_history_set_size(history, 2000)
        mlus_history_set_unique(history, 1)
        if let historyPath { mlus_history_load(history, historyPath) }
        mlus_el_set_editor(editLine, "emacs")
        mlus_el_set_signal(editLine, 0)
        // NOFLSH while editing: on Ctrl-C the kernel sends SIGINT and only then discards the terminal's pending
        // output, so a REPL quick enough to print `^C` and the next prompt in between lost that prompt and sat
        // at an invisible one (the soak found it). `readLine` discards typed-ahead input itself instead.
        mlus_el_keep_output_on_interrupt(editLine)
        mlus_el_set_history(editLine, history)
        mlus_el_set_prompt(editLine) { _ in EditLineReader.active?.prompt }
        mlus_el_set_getc(editLine) { _, character in EditLineReader.readCharacter(into: character) }
        mlus_el_add_command(editLine, "mlus-complete", "Complete the name or path before the cursor") { editLine, _ in
            guard let editLine, let reader = EditLineReader.active else { return UInt8(CC_ERROR) }
            return reader.complete(editLine)
        }
        mlus_el_bind(editLine, "^I", "mlus-complete")
        mlus_el_source(editLine, nil)  // the user's ~/.editrc, if any (e.g. `bind -v` for vi keys)
        EditLineReader.active = self
    }

    deinit {
        if EditLineReader.active === self { EditLineReader.active = nil }
        el_end(editLine)
        history_end(history)
        free(prompt)
    }

    public func readLine(prompt text: String, indent: String) -> LineReadResult {
        free(prompt)
        prompt = strdup(text) ?? prompt
        el_resize(editLine)
        // Pasted code arrives with its own indentation: auto-indent only when no typed-ahead input waits.
        if !indent.isEmpty && !Self.inputIsWaiting() { el_push(editLine, indent) }
        var count: Int32 = 0
        let line = InterruptWatcher.shared.whileReading(pollsForInput: true) { el_gets(editLine, &count) }
        if InterruptWatcher.shared.consumePending() {
            // What the kernel's flush would have done without NOFLSH: typed-ahead input dies with the line.
            tcflush(STDIN_FILENO, TCIFLUSH)
            fputs("^C\n", stdout)
            fflush(stdout)
            return .interrupted
        }
        guard let line, count > 0 else {
            fputs("\n", stdout)
            fflush(stdout)
            return .endOfInput
        }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    public func addToHistory(_ line: String) {
        guard !line.allSatisfy({ $0 == " " || $0 == "\t" }) else { return }
        mlus_history_enter(history, line)
        guard let historyPath else { return }
        // libedit writes in place; writing a temporary file and renaming it keeps the history whole
        // if the process dies mid-write.
        let temporary = historyPath + ".\(getpid()).tmp"
        if mlus_history_save(history, temporary) >= 0 {
            rename(temporary, historyPath)
        } else {
            unlink(temporary)
        }
    }

    /// How often a wait for a key looks for a Ctrl-C that arrived outside `read`.
    static let interruptCheckMilliseconds: Int32 = 50

    /// Whether bytes are already waiting on standard input (a paste, or typing ahead).
    static func inputIsWaiting() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0 && descriptor.revents & Int16(POLLIN) != 0
    }

    /// libedit converts between its wide-character buffer and `char *` lines with the C library's locale,
    /// which is "C" (ASCII) until a program sets it: without this, `é` typed at the prompt is dropped.
    static func useUTF8Locale() {
        setlocale(LC_CTYPE, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// libedit's input function: one UTF-8 character from standard input. A Ctrl-C makes `read` fail with
    /// `EINTR`; returning -1 then ends `el_gets`, and `readLine` reports the interruption.
    ///
    /// A Ctrl-C that lands while this thread is not blocked in `read` (redrawing the prompt, or between two
    /// keys) interrupts nothing, so the pending mark is checked before every read and the wait for input is
    /// sliced by `poll`: the interruption is noticed within `interruptCheckMilliseconds` instead of being lost
    /// until the next key.
    static func readCharacter(into character: UnsafeMutablePointer<wchar_t>?) -> Int32 {
        var bytes: [UInt8] = []
        while true {
            if InterruptWatcher.shared.isPending { return -1 }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, interruptCheckMilliseconds)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 0 { return 0 }
            if count < 0 {
                if errno == EINTR && !InterruptWatcher.shared.isPending { continue }
                return -1
            }
            bytes.append(byte)
            let needed = byte < 0x80 ? 1 : (bytes[0] >= 0xF0 ? 4 : bytes[0] >= 0xE0 ? 3 : 2)
            guard bytes.count >= needed || bytes[0] < 0xC0 else { continue }
            let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first?.value ?? 0xFFFD
            character?.pointee = wchar_t(bitPattern: scalar)
            return 1
        }
    }

    /// Tab: insert what all candidates share; when that is nothing, list them.
    func complete(_ editLine: OpaquePointer) -> UInt8 {
        guard let info = el_line(editLine)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: cursor - buffer), as: UTF8.self)
        guard let completer else {
            el_insertstr(editLine, "    ")
            return UInt8(CC_REFRESH)
        }
        // Tab at the start of a line (or after spaces) indents.
        if before.allSatisfy({ $0 == " " }) {
            el_insertstr(editLine, "    ")
            return UInt8(CC_REFRESH)
        }
        let result = completer.complete(line: before, cursor: before.count)
        if result.candidates.isEmpty { return UInt8(CC_REFRESH_BEEP) }
        let addition = result.commonExtension
        if !addition.isEmpty {
            el_insertstr(editLine, addition)
            return UInt8(CC_REFRESH)
        }
        if result.candidates.count == 1 { return UInt8(CC_REFRESH) }
        let shown = result.candidates.map(Self.displayName)
        fputs("\n" + Self.columns(shown, width: Self.terminalWidth()), stdout)
        fflush(stdout)
        return UInt8(CC_REDISPLAY)
    }

    /// The last component of a candidate (`conv1` for `model.conv1`, `b.png` for `imgs/b.png`).
    static func displayName(_ candidate: String) -> String {
        let trimmed = candidate.hasSuffix("/") ? String(candidate.dropLast()) : candidate
        guard let cut = trimmed.lastIndex(where: { $0 == "." || $0 == "/" }) else { return candidate }
        return String(candidate[candidate.index(after: cut)...])
    }

    /// Lays `names` out in columns that fit `width`, each line ending in a newline.
    static func columns(_ names: [String], width: Int) -> String {
        let cell = (names.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / max(cell, 1))
        var text = ""
        for (index, name) in names.enumerated() {
            text += name
            if index % perLine == perLine - 1 || index == names.count - 1 {
                text += "\n"
            } else {
                text += String(repeating: " ", count: cell - name.count)
            }
        }
        return text
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
