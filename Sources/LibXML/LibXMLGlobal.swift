internal import CLibXML2

/// `xmlInitParser`, run once before the first parse (a lazy global runs exactly once).
let libxmlInit: Void = {
    xmlInitParser()
}()

/// Silences libxml2's default error printers on the calling thread: in 2.9 the handlers are
/// per thread, and without them some errors (encoding, I/O) reach stderr despite NOERROR;
/// some only through the generic one (`xmlParseChunk: encoder error`).
func silenceGlobalErrors() {
    xmlSetStructuredErrorFunc(nil) { _, _ in }
    cxml_silence_generic_errors()
}

