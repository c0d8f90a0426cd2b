internal import CLibXML2

/// `xmlInitParser`, run once before the first parse (a lazy global runs exactly once).
let libxmlInit: Void = {
    xmlInitParser()
}()

/// Silences libxml2's default error printer on the calling thread: in 2.9 the handler is
/// per thread, and without it some errors (encoding, I/O) reach stderr despite NOERROR.
func silenceGlobalErrors() {
    xmlSetStructuredErrorFunc(nil) { _, _ in }
}

