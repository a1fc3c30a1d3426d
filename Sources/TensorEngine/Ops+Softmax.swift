extension Ops {
    /// Row-wise softmax over the last axis (y may alias x).
    public static func softmaxForward(_ x: Tensor, y: Tensor) {
        let c = x.shape.last!
        precondition(y.count == x.count, "softmax shapes")
        let xp = x.pointer, yp = y.pointer
        Parallel.chunks(x.rows, minChunk: 16) { rows in
            for r in rows {
                if xp != yp { (yp + r * c).update(from: xp + r * c, count: c) }
                _ = softmaxRowInPlace(yp + r * c, c)
            }
        }
    }

    /// Backward of softmax from its output y: dx (+)= y * (dy - sum(dy * y)).
    public static func softmaxBackward(dy: Tensor, y: Tensor, dx: Tensor, accumulate: Bool = true) {
        let c = y.shape.last!
        let dyp = dy.pointer, yp = y.pointer, dxp = dx.pointer
        Parallel.chunks(y.rows, minChunk: 16) { rows in
            for r in rows {
                let o = r * c
                let s = FastMath.dot(dyp + o, yp + o, c)
                if accumulate { for i in 0..<c { dxp[o + i] += yp[o + i] * (dyp[o + i] - s) } }
                else { for i in 0..<c { dxp[o + i] = yp[o + i] * (dyp[o + i] - s) } }
            }
        }
    }
}
