/* Every oneDNN 2.x implementation of an fp32 3x3 stride-1 convolution, per direction (fwd, bwd-data, bwd-weights) and
 * activation layout (nhwc, and nChw8c / nChw16c blocked), batch 64, min of 12 runs each, ms. The question it answers
 * (issue 12 on AVX2-only CPUs): is the implementation and layout oneDNN picks first for our nhwc tensors the fastest
 * one it has, for the small channel counts of the NB201 and resnet spaces?
 *   gcc -O2 bench/conv_impls.c -o /tmp/conv_impls -ldnnl
 *   OMP_NUM_THREADS=1 /tmp/conv_impls 16 16 32  32 32 16  64 64 8 */
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static dnnl_engine_t eng; static dnnl_stream_t st;
static dnnl_memory_t mk(const dnnl_memory_desc_t*md){dnnl_memory_t m; dnnl_memory_create(&m,md,eng,DNNL_MEMORY_ALLOCATE);
  float*p; dnnl_memory_get_data_handle(m,(void**)&p); size_t n=dnnl_memory_desc_get_size(md)/4;
  for(size_t i=0;i<n;i++)p[i]=(rand()%100)/100.f-0.5f; return m;}
static const dnnl_memory_desc_t*q(const_dnnl_primitive_desc_t pd,dnnl_query_t w){return dnnl_primitive_desc_query_md(pd,w,0);}
/* Times one primitive descriptor: kind 0 fwd, 1 bwd-data, 2 bwd-weights. */
static double timeit(const_dnnl_primitive_desc_t pd,int kind){
  dnnl_primitive_t p; if(dnnl_primitive_create(&p,pd)!=dnnl_success) return -1;
  dnnl_memory_t a,b,c; dnnl_exec_arg_t args[3];
  if(kind==0){a=mk(q(pd,dnnl_query_src_md));b=mk(q(pd,dnnl_query_weights_md));c=mk(q(pd,dnnl_query_dst_md));
    args[0]=(dnnl_exec_arg_t){DNNL_ARG_SRC,a};args[1]=(dnnl_exec_arg_t){DNNL_ARG_WEIGHTS,b};args[2]=(dnnl_exec_arg_t){DNNL_ARG_DST,c};}
  else if(kind==1){a=mk(q(pd,dnnl_query_diff_dst_md));b=mk(q(pd,dnnl_query_weights_md));c=mk(q(pd,dnnl_query_diff_src_md));
    args[0]=(dnnl_exec_arg_t){DNNL_ARG_DIFF_DST,a};args[1]=(dnnl_exec_arg_t){DNNL_ARG_WEIGHTS,b};args[2]=(dnnl_exec_arg_t){DNNL_ARG_DIFF_SRC,c};}
  else {a=mk(q(pd,dnnl_query_src_md));b=mk(q(pd,dnnl_query_diff_dst_md));c=mk(q(pd,dnnl_query_diff_weights_md));
    args[0]=(dnnl_exec_arg_t){DNNL_ARG_SRC,a};args[1]=(dnnl_exec_arg_t){DNNL_ARG_DIFF_DST,b};args[2]=(dnnl_exec_arg_t){DNNL_ARG_DIFF_WEIGHTS,c};}
  double best=1e9; for(int r=0;r<12;r++){double t=now(); dnnl_primitive_execute(p,st,3,args); dnnl_stream_wait(st); t=now()-t; if(t<best)best=t;}
  dnnl_primitive_destroy(p); dnnl_memory_destroy(a); dnnl_memory_destroy(b); dnnl_memory_destroy(c); return best;}
static void each(const void*desc,const_dnnl_primitive_desc_t hint,int kind,const char*name){
  dnnl_primitive_desc_iterator_t it; if(dnnl_primitive_desc_iterator_create(&it,desc,NULL,eng,hint)!=dnnl_success){printf("    %s: none\n",name);return;}
  int i=0; do{ dnnl_primitive_desc_t pd=dnnl_primitive_desc_iterator_fetch(it); const char*impl;
    dnnl_primitive_desc_query(pd,dnnl_query_impl_info_str,0,&impl);
    if(impl[0]=='r'&&impl[1]=='e'&&impl[2]=='f'){dnnl_primitive_desc_destroy(pd);continue;} /* reference: seconds, never a contender */
    printf("    %-5s #%d %-28s %7.2f ms\n",name,i++,impl,timeit(pd,kind)); fflush(stdout); dnnl_primitive_desc_destroy(pd);
  } while(dnnl_primitive_desc_iterator_next(it)==dnnl_success);
  dnnl_primitive_desc_iterator_destroy(it);}
static void shape(int N,int C,int O,int H,dnnl_format_tag_t act,const char*layout){
  dnnl_dims_t sd={N,C,H,H},od={N,O,H,H},wd={O,C,3,3},s1={1,1},p1={1,1}; dnnl_memory_desc_t src,dst,w;
  dnnl_memory_desc_init_by_tag(&src,4,sd,dnnl_f32,act); dnnl_memory_desc_init_by_tag(&dst,4,od,dnnl_f32,act);
  dnnl_memory_desc_init_by_tag(&w,4,wd,dnnl_f32,dnnl_format_tag_any);
  dnnl_convolution_desc_t fd,bd,bw; dnnl_primitive_desc_t fpd;
  dnnl_convolution_forward_desc_init(&fd,dnnl_forward_training,dnnl_convolution_direct,&src,&w,NULL,&dst,s1,p1,p1);
  dnnl_convolution_backward_data_desc_init(&bd,dnnl_convolution_direct,&src,&w,&dst,s1,p1,p1);
  dnnl_convolution_backward_weights_desc_init(&bw,dnnl_convolution_direct,&src,&w,NULL,&dst,s1,p1,p1);
  printf("N%d %d->%d %dx%d %s\n",N,C,O,H,H,layout);
  if(dnnl_primitive_desc_create(&fpd,&fd,NULL,eng,NULL)!=dnnl_success){printf("    no forward\n");return;}
  each(&fd,NULL,0,"fwd"); each(&bd,fpd,1,"bwdD"); each(&bw,fpd,2,"bwdW"); dnnl_primitive_desc_destroy(fpd);}
int main(int argc,char**argv){ dnnl_engine_create(&eng,dnnl_cpu,0); dnnl_stream_create(&st,eng,dnnl_stream_default_flags);
  for(int i=1;i+2<argc;i+=3){int C=atoi(argv[i]),O=atoi(argv[i+1]),H=atoi(argv[i+2]);
    shape(64,C,O,H,dnnl_nhwc,"nhwc"); shape(64,C,O,H,dnnl_nChw8c,"nChw8c"); shape(64,C,O,H,dnnl_nChw16c,"nChw16c");}}
